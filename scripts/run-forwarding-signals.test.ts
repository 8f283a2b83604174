import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { waitFor } from '../runtime/testing/index.ts'

const runner = fileURLToPath(new URL('./run-forwarding-signals.mjs', import.meta.url))
const child = fileURLToPath(new URL('./testing/stop-signal-child-fixture.ts', import.meta.url))

/** A node ES module script: the fixture under runForwardingSignals, exiting with its code. */
function runnerScript(childArgs: string[], options: { parentCheckMs?: number } = {}): string {
  const call = `m.runForwardingSignals(${JSON.stringify(process.execPath)}, ${JSON.stringify([child, ...childArgs])}, ${JSON.stringify(options)})`
  return `import(${JSON.stringify(runner)}).then((m) => ${call}).then((code) => process.exit(code))`
}

/** `node` running the fixture under runForwardingSignals, in a process group of its own. */
function startParent(childArgs: string[] = []) {
  const parent = Bun.spawn(['node', '--input-type=module', '-e', runnerScript(childArgs)], {
    stdout: 'pipe',
    stderr: 'inherit',
    detached: true,
  })
  const { lines, reading } = collectLines(parent.stdout)
  const untilReady = () =>
    waitFor(() => lines.includes('ready') || parent.exitCode !== null, {
      message: 'the child to say ready',
    })
  return { parent, lines, reading, untilReady }
}

/** The lines of `stream` so far (whole lines only); `reading` ends with the stream. */
function collectLines(stream: ReadableStream<Uint8Array>) {
  const lines: string[] = []
  let partial = ''
  const decoder = new TextDecoder()
  const reading = (async () => {
    for await (const chunk of stream) {
      const parts = (partial + decoder.decode(chunk, { stream: true })).split('\n')
      partial = parts.pop() ?? ''
      lines.push(...parts)
    }
  })()
  return { lines, reading }
}

/** Whether `pid` runs (a zombie, exited but not yet reaped by whoever adopted it, does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

describe('runForwardingSignals (behind npm start and npm test)', () => {
  test.each([
    ['SIGTERM', 'a process manager or kill'],
    ['SIGHUP', 'its terminal closed'],
  ] as const)(
    'a %s to the parent alone (%s) stops the child in order, as a SIGTERM',
    async (signal) => {
      const run = startParent()
      await run.untilReady()
      run.parent.kill(signal)
      expect(await run.parent.exited).toBe(0)
      await run.reading
      expect(run.lines).toContain('stopped SIGTERM')
    },
  )

  test("a Ctrl-C (SIGINT to the parent's process group) stops the child in order, once", async () => {
    const run = startParent()
    await run.untilReady()
    process.kill(-run.parent.pid, 'SIGINT')
    expect(await run.parent.exited).toBe(0)
    await run.reading
    expect(run.lines.filter((line) => line.startsWith('stopped'))).toEqual(['stopped SIGINT'])
  })

  test('the child is stopped in order when the parent is itself orphaned (npm killed outright)', async () => {
    // npm (here a node that only waits) runs the runner; SIGKILL of npm tells the runner nothing.
    const runner = runnerScript([], { parentCheckMs: 20 })
    const npmScript = `require('node:child_process').spawn('node', ['--input-type=module', '-e', ${JSON.stringify(runner)}], { stdio: 'inherit' }); setInterval(() => {}, 1000)`
    const npm = Bun.spawn(['node', '-e', npmScript], { stdout: 'pipe', stderr: 'inherit' })
    // The stream ends when the runner and the child, which share it, have both exited.
    const { lines, reading } = collectLines(npm.stdout)
    await waitFor(() => lines.includes('ready'), { message: 'the child to say ready' })
    npm.kill('SIGKILL')
    await reading
    expect(lines).toContain('stopped SIGTERM')
  })

  test('what the child started and left behind is stopped when the child exits', async () => {
    const run = startParent(['--leave-behind'])
    await run.untilReady()
    const started = run.lines.find((line) => line.startsWith('started '))
    const leftPid = Number(started?.split(' ')[1])
    expect(alive(leftPid)).toBe(true)
    process.kill(-run.parent.pid, 'SIGINT')
    expect(await run.parent.exited).toBe(0)
    await waitFor(() => !alive(leftPid), { message: 'the left-behind process to be gone' })
  })

  test("the parent exits with the child's exit code", async () => {
    const run = startParent(['--code', '3'])
    await run.untilReady()
    run.parent.kill('SIGTERM')
    expect(await run.parent.exited).toBe(3)
  })
})
