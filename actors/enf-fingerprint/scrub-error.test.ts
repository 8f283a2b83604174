import { describe, expect, test } from 'bun:test'
import { BaseError } from '../../runtime/index.ts'
import { EnfBadReferenceError } from './errors.ts'
import { scrubError } from './scrub-error.ts'

describe('scrubError', () => {
  test('keeps code, message, kind and meta of a vigil error and drops its details and cause', () => {
    const error = new EnfBadReferenceError('Line 3 of the reference CSV is not "time,frequency"', {
      details: 'Got: secret line',
      meta: { row: 3 },
      cause: new Error("ENOENT: open '/etc/shadow'"),
    })
    const scrubbed = scrubError(error).toWire()
    expect(scrubbed).toMatchObject({
      code: 'ENF_BAD_REFERENCE',
      shortMessage: 'Line 3 of the reference CSV is not "time,frequency"',
      kind: 'application',
      meta: { row: 3 },
    })
    expect(scrubbed.details).toBeUndefined()
    expect(scrubbed.cause).toBeUndefined()
    expect(JSON.stringify(scrubbed)).not.toMatch(/secret|shadow/)
  })

  test('turns anything else into INTERNAL without its message', () => {
    const scrubbed = scrubError(new Error("EACCES: permission denied, open '/root/key.pem'"))
    expect(BaseError.is(scrubbed)).toBe(true)
    expect(scrubbed.code).toBe('INTERNAL')
    expect(scrubbed.message).not.toContain('/root')
  })
})
