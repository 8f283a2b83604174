/** Test fixture: a version 3 of the counter whose migrate always refuses. */
import { defineActor } from '../actor/define-actor.ts'
import { counterActor } from './counter-actor-fixture.ts'

export const counterActorBroken = defineActor({
  ...counterActor,
  version: 3,
  migrate: () => {
    throw new RangeError('version 3 cannot read this snapshot: field `count` moved')
  },
})
