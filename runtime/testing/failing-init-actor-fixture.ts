/** Test fixture: an actor whose init refuses its arguments. */
import { z } from 'zod'
import { defineActor } from '../actor/define-actor.ts'

export const failingInitActor = defineActor({
  name: 'failing-init',
  version: 1,
  protocol: { 'failing.ping': { access: 'public', payload: z.object({}), reply: z.null() } },
  init: (args: { ok?: boolean } | undefined) => {
    if (!args?.ok) throw new RangeError('failing-init needs { ok: true }')
    return {}
  },
  receive: { 'failing.ping': () => null },
})
