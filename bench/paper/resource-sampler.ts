/**
 * Table 2 of the paper: CPU and memory of the processes a deployment runs,
 * over one phase (idle, or during an experiment). CPU is the process's user +
 * system time over the phase's wall time, in % of one core, averaged over the
 * processes of a group; RSS is the mean of samples taken every 200 ms.
 */
import { cpuSeconds, rssMb } from '../harness/process-usage.ts'
import { mean, round } from '../harness/stats.ts'

export type ProcessGroups = Readonly<Record<string, readonly number[]>>
export type GroupUsage = {
  group: string
  processes: number
  cpu_pct: number
  rss_mb: number
  rss_peak_mb: number
}

/** Runs `during` and reports each group's CPU and RSS over it. */
export async function measureUsage<T>(
  groups: ProcessGroups,
  during: () => Promise<T>,
): Promise<{ usage: GroupUsage[]; result: T }> {
  const pids = Object.values(groups).flat()
  const before = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]))
  const rss = new Map<number, number[]>(pids.map((pid) => [pid, []]))
  const sample = () => {
    for (const pid of pids) rss.get(pid)?.push(rssMb(pid).current)
  }
  sample()
  const timer = setInterval(sample, 200)
  const started = performance.now()
  try {
    const result = await during()
    const seconds = (performance.now() - started) / 1000
    sample()
    const usage = Object.entries(groups).map(([group, members]) => ({
      group,
      processes: members.length,
      cpu_pct: round(
        mean(members.map((pid) => (100 * (cpuSeconds(pid) - (before.get(pid) ?? 0))) / seconds)),
        1,
      ),
      rss_mb: round(mean(members.map((pid) => mean(rss.get(pid) ?? []))), 1),
      rss_peak_mb: round(mean(members.map((pid) => rssMb(pid).peak)), 1),
    }))
    return { usage, result }
  } finally {
    clearInterval(timer)
  }
}
