/**
 * The edge profile: a CPU budget for whole host processes (every thread,
 * workers included), with a cgroup v1 CPU controller
 * (/sys/fs/cgroup/cpu/<group>/cpu.cfs_quota_us over cpu.cfs_period_us), or
 * cgroup v2 (`cpu.max`) where that is what the machine has. Needs root (or a
 * delegated cgroup). The period is CFS's default 100 ms: with a 10 ms period
 * (tried first, to keep throttling pauses short) one actor served ~22 req/s on
 * a quarter of a core against ~72 with 100 ms, in the same (not yet warmed-up)
 * set-up; not re-measured since. With 100 ms the budget is spent in bursts and
 * a throttled request waits up to ~(1 − share) × 100 ms.
 *
 * One group per host: a Pi has its own core, so each capped host gets its own
 * budget (`createCpuCap` per host), never a share of one budget with the
 * others. The group's weight (`cpu.shares`, `cpu.weight` on v2) is raised so
 * that on a loaded machine the group still gets its whole budget from the
 * scheduler and the quota, not the neighbours, is what limits it.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const V1 = '/sys/fs/cgroup/cpu'
const V2 = '/sys/fs/cgroup'
const PERIOD_US = 100_000
/** Ten times a default task's weight (cgroup v1 cpu.shares; v2 cpu.weight 1000 of 10000). */
const SHARES_V1 = 10_240
const WEIGHT_V2 = 1000

/** What the group's `cpu.stat` says so far: periods run, periods throttled, time throttled. */
export type CpuCapStat = { periods: number; throttled: number; throttledMs: number }

export type CpuCap = {
  /** `cgroup v1 cpu.cfs_quota_us=…/cpu.cfs_period_us=…` or `cgroup v2 cpu.max=…`. */
  readonly description: string
  readonly percentOfCore: number
  /** Moves process `pid` (all its threads) into the capped group. */
  add(pid: number): void
  /**
   * Lifts the quota (`false`) or puts it back (`true`), for the unmeasured recovery between two
   * runs: restarting workers is loading, not serving, as at start-up.
   */
  limit(on: boolean): void
  /** The group's throttling counters so far (cumulative; subtract two readings). */
  stat(): CpuCapStat
  /** Moves the group's processes back to the root group and removes it. */
  remove(): void
}

/** A cgroup limiting its processes to `percentOfCore` % of one core. */
export function createCpuCap(name: string, percentOfCore: number): CpuCap {
  const v1 = existsSync(join(V1, 'cpu.cfs_quota_us'))
  const root = v1 ? V1 : V2
  if (!v1 && !existsSync(join(V2, 'cgroup.controllers'))) {
    throw new Error(
      'no cgroup CPU controller found (/sys/fs/cgroup/cpu or cgroup v2): run without --edge-profile',
    )
  }
  const dir = join(root, `vigil-paper-${name}-${process.pid}`)
  const quota = Math.max(1000, Math.round((PERIOD_US * percentOfCore) / 100))
  try {
    mkdirSync(dir, { recursive: true })
    if (v1) {
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US))
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota))
      writeFileSync(join(dir, 'cpu.shares'), String(SHARES_V1))
    } else {
      writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`)
      writeFileSync(join(dir, 'cpu.weight'), String(WEIGHT_V2))
    }
  } catch (error) {
    throw new Error(`cannot create the CPU cgroup ${dir} (needs root): ${(error as Error).message}`)
  }
  const description = v1
    ? `cgroup v1 cpu.cfs_quota_us=${quota} / cpu.cfs_period_us=${PERIOD_US}`
    : `cgroup v2 cpu.max="${quota} ${PERIOD_US}"`
  return {
    description,
    percentOfCore: (100 * quota) / PERIOD_US,
    add: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
    stat: () => readStat(join(dir, 'cpu.stat'), v1),
    limit(on) {
      if (v1) writeFileSync(join(dir, 'cpu.cfs_quota_us'), on ? String(quota) : '-1')
      else writeFileSync(join(dir, 'cpu.max'), `${on ? quota : 'max'} ${PERIOD_US}`)
    },
    remove() {
      const pids = readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)
      for (const pid of pids) {
        try {
          writeFileSync(join(root, 'cgroup.procs'), pid)
        } catch {
          // The process exited meanwhile.
        }
      }
      rmdirSync(dir)
    },
  }
}

/** Parses cgroup v1 (`nr_periods`, `nr_throttled`, `throttled_time` ns) or v2 (`throttled_usec`) cpu.stat. */
function readStat(file: string, v1: boolean): CpuCapStat {
  const fields = new Map<string, number>()
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [key, value] = line.split(' ')
    if (key && value) fields.set(key, Number(value))
  }
  const throttledMs = v1
    ? (fields.get('throttled_time') ?? 0) / 1e6
    : (fields.get('throttled_usec') ?? 0) / 1e3
  return {
    periods: fields.get('nr_periods') ?? 0,
    throttled: fields.get('nr_throttled') ?? 0,
    throttledMs,
  }
}
