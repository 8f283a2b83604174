import { describe, expect, test } from 'bun:test'
import { serializePerKey } from './serialize-per-key.ts'

/** A promise the test settles by hand. */
function gate() {
  let open = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { opened, open }
}

describe('serializePerKey', () => {
  test('runs sections of one key one at a time, in call order', async () => {
    const log: string[] = []
    const first = gate()
    const a = serializePerKey('k', async () => {
      log.push('a start')
      await first.opened
      log.push('a end')
      return 'a'
    })
    const b = serializePerKey('k', async () => {
      log.push('b start')
      return 'b'
    })
    await Promise.resolve()
    expect(log).toEqual(['a start'])
    first.open()
    expect(await Promise.all([a, b])).toEqual(['a', 'b'])
    expect(log).toEqual(['a start', 'a end', 'b start'])
  })

  test('runs sections of different keys in parallel', async () => {
    const blocked = gate()
    const a = serializePerKey('one', () => blocked.opened.then(() => 'a'))
    expect(await serializePerKey('two', async () => 'b')).toBe('b')
    blocked.open()
    expect(await a).toBe('a')
  })

  test('goes on after a failed section, whose error reaches only its caller', async () => {
    const failed = serializePerKey('k', async () => {
      throw new Error('refused')
    })
    const next = serializePerKey('k', async () => 'sent')
    expect(await failed.catch((error: Error) => error.message)).toBe('refused')
    expect(await next).toBe('sent')
  })
})
