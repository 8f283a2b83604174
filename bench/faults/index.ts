/**
 * The fault runs of `bun run bench faults`, in the order they run. Each fault
 * lives in its own file beside this one; add it to this list.
 */
import { crashFault } from './crash.ts'
import type { FaultRun } from './fault-run.ts'
import { fuzzFault } from './fuzz.ts'
import { handoffFault } from './handoff.ts'
import { hostKillFault } from './host-kill.ts'
import { overloadFault } from './overload.ts'
import { validatorFaults } from './validator.ts'

export type { FaultRun } from './fault-run.ts'

export const faultRuns: FaultRun[] = [
  crashFault,
  hostKillFault,
  handoffFault,
  validatorFaults,
  fuzzFault,
  overloadFault,
]
