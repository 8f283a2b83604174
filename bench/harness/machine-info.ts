import { cpus, totalmem } from 'node:os'

/** What every benchmark result records about where it ran. */
export function machineInfo() {
  const commit = Bun.spawnSync(['git', 'rev-parse', '--short', 'HEAD'], { stderr: 'ignore' })
  return {
    bun: Bun.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}/${process.arch}`,
    commit: commit.stdout.toString().trim() || 'uncommitted',
    date: new Date().toISOString(),
  }
}
