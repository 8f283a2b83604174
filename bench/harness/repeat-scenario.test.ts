import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { childOutput } from './child-output.ts'

// Runs a real scenario twice, each in its own bun process.
setDefaultTimeout(60_000)

const RUN_BENCH = new URL('../run-bench.ts', import.meta.url).pathname

function runBench(args: string[]) {
  return childOutput(
    Bun.spawn([process.execPath, RUN_BENCH, ...args], { stdout: 'pipe', stderr: 'pipe' }),
  )
}

describe('bun run bench --runs', () => {
  test('runs the scenario in separate processes and prints the medians and their spread', async () => {
    const { stdout, stderr, code } = await runBench(['fft', '--quick', '--runs', '2', '--json'])
    expect(code).toBe(0)
    expect(stderr).toContain('# run 1 of 2')
    expect(stderr).toContain('# run 2 of 2')
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')
    expect(summary.scenario).toBe('fft')
    expect(summary.runs).toBe(2)
    const rate = summary.fft_wasm_ops_per_s_1024 as number
    expect(rate).toBeGreaterThan(0)
    // Two runs: the median is their mean (a figure that came out equal twice has no spread).
    const [a, b] = summary.spread.fft_wasm_ops_per_s_1024?.values ?? [rate, rate]
    expect(rate).toBe((a + b) / 2)
  })

  test('refuses a run count that is not a whole number ≥ 1, naming it', async () => {
    const { stderr, code } = await runBench(['fft', '--runs', '0'])
    expect(code).toBe(2)
    expect(stderr).toContain('--runs takes a whole number ≥ 1 (got 0)')
  })
})
