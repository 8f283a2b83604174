import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { defaultKernelConfig } from '../runtime/index.ts'
import { runKernelDemo } from './kernel-demo.ts'

// Real workers on a shared 2-core machine: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(30_000)

describe('runKernelDemo', () => {
  test('shows request/reply, a refused message, a restart, a hot swap and the counters', async () => {
    const lines: string[] = []
    const code = await runKernelDemo({
      config: defaultKernelConfig,
      out: (text) => lines.push(text),
      once: true,
      intervalSeconds: 1,
    })
    const text = lines.join('\n')
    expect(code).toBe(0)
    expect(text).toContain('hello ada, visitor #1 (counter v1)')
    expect(text).toContain('refused: PROTOCOL_VIOLATION')
    expect(text).toContain('crash answered: ACTOR_CRASHED')
    expect(text).toContain('hello linus, visitor #3 (counter v1)')
    expect(text).toContain('hello barbara, visitor #4 (counter v2)')
    expect(text).toMatch(
      /counters counter v2 running: received 10025, processed 10024, failed 1, restarts 1/,
    )
    expect(text).toContain('dead letters: 0')
  })
})
