/**
 * What one fuzz run found: how many cases it sent, how each was rejected
 * (by error code or HTTP status), the crashes (an exception that escaped the
 * code under test, a dead listener) and the unclear rejections (no typed
 * code, an INTERNAL error, a 5xx, a body without `{code, message}`), with a
 * few examples of each so a failure can be read and replayed with `seed`.
 */
export type FuzzReport = {
  seed: number
  cases: number
  /** Rejections by code (or `HTTP <status> <code>`); accepted cases under `accepted`. */
  outcomes: Record<string, number>
  crashes: number
  unclear: number
  /** Up to a few examples of crashes and unclear rejections. */
  examples: string[]
}

const MAX_EXAMPLES = 8

/** An empty report for a run with `seed`. */
export function newFuzzReport(seed: number): FuzzReport {
  return { seed, cases: 0, outcomes: {}, crashes: 0, unclear: 0, examples: [] }
}

/** Counts one outcome. */
export function countOutcome(report: FuzzReport, outcome: string): void {
  report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1
}

/** Records a crash or an unclear rejection with a short description of the case. */
export function recordFinding(report: FuzzReport, kind: 'crash' | 'unclear', what: string): void {
  if (kind === 'crash') report.crashes++
  else report.unclear++
  if (report.examples.length < MAX_EXAMPLES) report.examples.push(`${kind}: ${what.slice(0, 300)}`)
}

/** Adds `other`'s counts into `into`. */
export function mergeFuzzReports(into: FuzzReport, other: FuzzReport): FuzzReport {
  into.cases += other.cases
  into.crashes += other.crashes
  into.unclear += other.unclear
  for (const [outcome, count] of Object.entries(other.outcomes)) {
    into.outcomes[outcome] = (into.outcomes[outcome] ?? 0) + count
  }
  for (const example of other.examples) {
    if (into.examples.length < MAX_EXAMPLES) into.examples.push(example)
  }
  return into
}

/** Peak resident set size of this process so far, MiB (Linux VmHWM; maxRSS elsewhere). */
export function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024
}
