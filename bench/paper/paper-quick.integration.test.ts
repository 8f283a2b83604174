/**
 * The smoke run of `bun run bench paper --quick --json` (real hosts, a real
 * CometBFT localnet and anvil, separate load processes): the last stdout line
 * is one JSON object with every headline figure, the figures are plausible,
 * and every SVG plot it wrote is a well-formed document with plot marks.
 */
import { expect, test } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { childOutput } from '../harness/child-output.ts'
import { xmlProblem } from '../harness/xml-problem.ts'
import { HEADLINE } from '../scenarios/paper.bench.ts'

const ROOT = join(import.meta.dir, '..', '..')

test(
  'bench paper --quick ends with the headline JSON and writes plots that parse as SVG',
  async () => {
    const child = Bun.spawn(
      [process.execPath, 'bench/run-bench.ts', 'paper', '--quick', '--json'],
      {
        cwd: ROOT,
        stdout: 'pipe',
        stderr: 'pipe',
      },
    )
    const { stdout, stderr, code } = await childOutput(child)
    expect(code, stderr.slice(-2000)).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1) // silent with --json: progress goes to stderr
    const figures = JSON.parse(lines[0] as string) as Record<string, unknown>
    expect(figures.scenario).toBe('paper')
    for (const field of HEADLINE) expect(typeof figures[field], field).toBe('number')
    expect(figures.acknowledged_lost).toBe(0)
    expect(figures.saturation_req_per_s as number).toBeGreaterThan(100)
    expect(figures.cometbft_commit_p50_ms as number).toBeGreaterThan(0)
    expect(figures.eth_commit_p50_ms as number).toBeGreaterThan(0)
    const svgs = figures.svgs as string[]
    expect(svgs.length).toBeGreaterThanOrEqual(5)
    for (const path of svgs) {
      const svg = await readFile(path, 'utf8')
      expect(xmlProblem(svg), path).toBeUndefined()
      expect(svg).toStartWith('<svg')
      expect(svg).toContain('class="mark-')
    }
    expect(stderr).toContain('[') // progress lines went to stderr
  },
  { timeout: 300_000 },
)
