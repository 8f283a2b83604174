/**
 * The schedule of an open-loop load: request i of `total` is due at
 * `t0 + i × 1000 / rate` ms, whatever happened to the earlier ones (the
 * server's speed never delays the schedule, as in wrk2). Latency is then
 * measured from each request's due time, so coordinated omission is counted.
 */
export type ConstantRateSchedule = {
  readonly total: number
  /** When request `index` is due, ms on the same clock as `t0`. */
  dueAt(index: number): number
  /** How many requests are due by `now` (never more than `total`). */
  dueBy(now: number): number
}

/** A schedule of `rate` requests per second for `durationSeconds`, starting at `t0` (ms). */
export function constantRateSchedule(
  t0: number,
  rate: number,
  durationSeconds: number,
): ConstantRateSchedule {
  if (!(rate > 0) || !(durationSeconds > 0)) {
    throw new RangeError(`rate (${rate}) and duration (${durationSeconds} s) must be positive`)
  }
  const total = Math.round(rate * durationSeconds)
  const interval = 1000 / rate
  return {
    total,
    dueAt: (index) => t0 + index * interval,
    dueBy: (now) => (now < t0 ? 0 : Math.min(total, Math.floor((now - t0) / interval) + 1)),
  }
}
