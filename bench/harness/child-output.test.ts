import { describe, expect, test } from 'bun:test'
import { childOutput } from './child-output.ts'

const SCRIPT = "console.log('out'); console.error('err'); process.exit(3)"

describe('childOutput', () => {
  test('returns what a piped child printed on each stream and its exit code', async () => {
    const child = Bun.spawn([process.execPath, '-e', SCRIPT], { stdout: 'pipe', stderr: 'pipe' })
    expect(await childOutput(child)).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 3 })
  })

  test('answers an empty stderr when the child does not pipe it', async () => {
    const child = Bun.spawn([process.execPath, '-e', SCRIPT], { stdout: 'pipe', stderr: 'ignore' })
    expect(await childOutput(child)).toEqual({ stdout: 'out\n', stderr: '', code: 3 })
  })
})
