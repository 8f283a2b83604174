/**
 * Collects gas used per contract operation during integration tests and writes it as a table
 * (stdout) and JSON (bench/results/eth-gas-<suite>.json, git-ignored) for the report.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

export type GasTable = {
  record(operation: string, gasUsed: bigint): void
  entries(): Record<string, number>
  /** Prints the table and writes bench/results/eth-gas-<suite>.json. */
  write(suite: string): Promise<void>
}

/** Creates an empty gas table; the first value recorded per operation is kept. */
export function createGasTable(): GasTable {
  const gas = new Map<string, number>()
  return {
    record(operation, gasUsed) {
      if (!gas.has(operation)) gas.set(operation, Number(gasUsed))
    },
    entries: () => Object.fromEntries(gas),
    async write(suite) {
      const width = Math.max(10, ...[...gas.keys()].map((k) => k.length))
      const lines = [`gas used per operation (${suite})`, `${'operation'.padEnd(width)}  gas`]
      for (const [operation, used] of gas) lines.push(`${operation.padEnd(width)}  ${used}`)
      console.log(lines.join('\n'))
      const dir = join(import.meta.dir, '..', '..', '..', 'bench', 'results')
      mkdirSync(dir, { recursive: true })
      await Bun.write(
        join(dir, `eth-gas-${suite}.json`),
        `${JSON.stringify(Object.fromEntries(gas), null, 2)}\n`,
      )
    },
  }
}
