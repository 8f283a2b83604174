/**
 * `vigil start` (what `npm start` runs) as a real process: it starts the
 * one-machine domain, prints where the gateway is, serves, and stops every
 * host on Ctrl-C.
 */
import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '../runtime/testing/wait-for.ts'

setDefaultTimeout(60_000)

describe('vigil start', () => {
  test('starts fog and edge hosts, prints the gateway and stops them all on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-start-'))
    const child = Bun.spawn(
      [process.execPath, join(import.meta.dir, '..', 'scripts', 'vigil.ts'), 'start', '--dir', dir],
      { stdout: 'pipe', stderr: 'pipe' },
    )
    let output = ''
    void (async () => {
      for await (const chunk of child.stdout) output += new TextDecoder().decode(chunk)
    })()
    try {
      const gateway = await waitFor(() => /gateway: (http:\/\/\S+)/.exec(output)?.[1], {
        timeoutMs: 30_000,
        message: 'the gateway line',
      })
      expect(output).toMatch(/fog-1 +pid \d+/)
      expect(output).toMatch(/edge-2 +pid \d+/)
      await waitFor(async () => (await fetch(`${gateway}/readyz`)).status === 200)
      const reply = await fetch(`${gateway}/v1/actors/echo/echo.say`, {
        method: 'POST',
        body: JSON.stringify({ text: 'hello' }),
      })
      expect(reply.status).toBe(200)
      expect(await reply.json()).toMatchObject({ text: 'hello' })
      const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]))
      child.kill('SIGINT')
      expect(await child.exited).toBe(0)
      // Every host process has gone.
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow()
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    }
  })
})
