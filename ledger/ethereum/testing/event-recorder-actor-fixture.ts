/**
 * Test actor: records the contract events the Ethereum ledger actor forwards to it
 * (`eth.subscribe` with type 'recorder.events') and lists them on request.
 */
import { z } from 'zod'
import { defineActor } from '../../../runtime/actor/define-actor.ts'
import { contractEventsSchema } from '../ethereum-ledger-protocol.ts'

type RecordedEvent = z.output<typeof contractEventsSchema>['events'][number]

const protocol = {
  'recorder.events': { access: 'public', payload: contractEventsSchema, reply: z.null() },
  'recorder.list': { access: 'public', payload: z.object({}), reply: contractEventsSchema },
} as const

export const eventRecorderActor = defineActor<{ events: RecordedEvent[] }, typeof protocol>({
  name: 'event-recorder',
  version: 1,
  protocol,
  init: () => ({ events: [] }),
  receive: {
    'recorder.events'({ events }, state) {
      state.events.push(...events)
      return null
    },
    'recorder.list'(_payload, state) {
      return { events: state.events }
    },
  },
})
