import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { waitFor } from '../../runtime/testing/index.ts'

// Starts real cometbft and app processes: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(60_000)

const VIGIL = join(import.meta.dir, '..', '..', 'scripts', 'vigil.ts')

/** Processes whose command line mentions `text` (e.g. a localnet folder). */
function processesMentioning(text: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry))
    } catch {
      // The process exited while we looked.
    }
  }
  return pids
}

describe('vigil ledger localnet', () => {
  test('starts validators with their apps, serves RPC, and stops every process on SIGINT', async () => {
    await using cli = Bun.spawn(
      [process.execPath, VIGIL, 'ledger', 'localnet', '--validators', '2'],
      {
        stdout: 'pipe',
        stderr: 'pipe',
      },
    )
    const reader = cli.stdout.getReader()
    let text = ''
    const started = await waitFor(
      async () => {
        const { value, done } = await reader.read()
        if (done) throw new Error(`vigil exited early: ${await new Response(cli.stderr).text()}`)
        text += new TextDecoder().decode(value)
        const line = text.split('\n').find((l) => l.startsWith('{'))
        return line
          ? (JSON.parse(line) as { dir: string; rpcUrls: string[]; chainId: string })
          : null
      },
      { timeoutMs: 45_000, message: 'the localnet to report its RPC URLs' },
    )
    expect(started.rpcUrls).toHaveLength(2)
    for (const url of started.rpcUrls) {
      const status = (await (await fetch(`${url}/status`)).json()) as {
        result: { node_info: { network: string } }
      }
      expect(status.result.node_info.network).toBe(started.chainId)
    }
    expect(processesMentioning(started.dir).length).toBeGreaterThanOrEqual(4)
    cli.kill('SIGINT')
    expect(await cli.exited).toBe(0)
    expect(processesMentioning(started.dir)).toEqual([])
    expect(existsSync(started.dir)).toBe(false)
  })
})
