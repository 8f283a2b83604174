/**
 * The fault runs of `bun run bench faults`, in the order they run. Each fault
 * lives in its own file beside this one; add it to this list.
 */
import type { FaultRun } from './fault-run.ts'
import { validatorFaults } from './validator.ts'

export type { FaultRun } from './fault-run.ts'

export const faultRuns: FaultRun[] = [validatorFaults]
