import { describe, expect, test } from 'bun:test'
import { type EnrolledHost, signEnrollmentList, verifyEnrollmentList } from './enrollment-list.ts'
import { generateHostKey } from './host-key.ts'
import { LiveEnrollment } from './live-enrollment.ts'

const admin = generateHostKey()
const hosts: EnrolledHost[] = ['fog-1', 'edge-1', 'edge-2'].map((hostId) => ({
  hostId,
  role: hostId.startsWith('fog') ? 'fog' : 'edge',
  publicKey: generateHostKey().publicKeyBase64,
}))
const initial = signEnrollmentList(admin, 'city', hosts, '2026-12-01T00:00:00.000Z')

function live() {
  return new LiveEnrollment(
    verifyEnrollmentList(initial, admin.publicKeyBase64),
    admin.publicKeyBase64,
  )
}

describe('LiveEnrollment', () => {
  test('a newer list without a host replaces the current one and names the host revoked', () => {
    const enrollment = live()
    const next = signEnrollmentList(admin, 'city', hosts.slice(0, 2), '2026-12-01T00:00:01.000Z')
    expect(enrollment.replace(next)).toEqual({
      applied: true,
      revoked: ['edge-2'],
      issuedAt: next.issuedAt,
    })
    expect(enrollment.find('edge-2')).toBeUndefined()
    expect(enrollment.signed).toEqual(next)
  })

  test('a host re-enrolled with another key counts as revoked (its old sessions must close)', () => {
    const enrollment = live()
    const rekeyed = hosts.map((h) =>
      h.hostId === 'edge-1' ? { ...h, publicKey: generateHostKey().publicKeyBase64 } : h,
    )
    const next = signEnrollmentList(admin, 'city', rekeyed, '2026-12-01T00:00:01.000Z')
    expect(enrollment.replace(next).revoked).toEqual(['edge-1'])
  })

  test('a list that is not newer changes nothing (a replayed older list cannot re-admit a host)', () => {
    const enrollment = live()
    const newer = signEnrollmentList(admin, 'city', hosts.slice(0, 2), '2026-12-01T00:00:02.000Z')
    enrollment.replace(newer)
    expect(enrollment.replace(initial).applied).toBe(false)
    expect(enrollment.find('edge-2')).toBeUndefined()
  })

  test('refuses a list signed by another key or for another domain with ENROLLMENT_INVALID', () => {
    const enrollment = live()
    const forged = signEnrollmentList(generateHostKey(), 'city', hosts, '2026-12-02T00:00:00.000Z')
    expect(() => enrollment.replace(forged)).toThrow(
      expect.objectContaining({ code: 'ENROLLMENT_INVALID' }),
    )
    const other = signEnrollmentList(admin, 'town', hosts, '2026-12-02T00:00:00.000Z')
    expect(() => enrollment.replace(other)).toThrow(/domain 'town'/)
    expect(enrollment.hosts).toHaveLength(3)
  })
})
