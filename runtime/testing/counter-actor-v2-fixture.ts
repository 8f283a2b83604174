/**
 * Test fixture: version 2 of the counter actor. Its migrate accepts version 1
 * snapshots and marks the state as migrated; `counter.report` says version 2.
 */
import { defineActor } from '../actor/define-actor.ts'
import {
  type CounterState,
  counterActor,
  counterProtocol,
  recordSeq,
} from './counter-actor-fixture.ts'

export const counterActorV2 = defineActor({
  ...counterActor,
  version: 2,
  protocol: counterProtocol,
  receive: {
    ...counterActor.receive,
    'counter.record': (payload, state: CounterState) =>
      recordSeq(state, payload.sender, payload.seq),
    'counter.report': (_payload, state: CounterState) => ({
      records: state.records,
      outOfOrder: state.outOfOrder,
      version: 2,
    }),
  },
  migrate: (fromVersion, snapshot) => {
    if (fromVersion > 2) throw new RangeError(`cannot migrate down from version ${fromVersion}`)
    return snapshot as CounterState
  },
})
