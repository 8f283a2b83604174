/**
 * CPU time and memory of other processes, read from /proc (Linux): for
 * benchmarks that measure the CometBFT validators and ABCI apps they start.
 */
import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100 // USER_HZ on Linux

/** CPU seconds (user + system) used so far by `pid`, or NaN if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return Number.NaN
  }
}

/** Resident set size of `pid` in MiB: current (VmRSS) and peak (VmHWM); NaN if it is gone. */
export function rssMb(pid: number): { current: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN') / 1024
    return { current: field('VmRSS'), peak: field('VmHWM') }
  } catch {
    return { current: Number.NaN, peak: Number.NaN }
  }
}
