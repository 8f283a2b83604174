/**
 * Test support: a freshly generated administrator key, host keys and a
 * signed enrollment list, so tests never use hard-coded keys.
 */
import {
  type EnrolledHost,
  type Enrollment,
  type HostRole,
  signEnrollmentList,
  verifyEnrollmentList,
} from './enrollment-list.ts'
import { generateHostKey, type HostKey } from './host-key.ts'

export type TestEnrollment = {
  admin: HostKey
  keys: Record<string, HostKey>
  enrollment: Enrollment
}

/** Enrolls the given hosts (id → role) in domain `test-domain`. */
export function createTestEnrollment(hosts: Record<string, HostRole>): TestEnrollment {
  const admin = generateHostKey()
  const keys: Record<string, HostKey> = {}
  const entries: EnrolledHost[] = []
  for (const [hostId, role] of Object.entries(hosts)) {
    const key = generateHostKey()
    keys[hostId] = key
    entries.push({ hostId, role, publicKey: key.publicKeyBase64 })
  }
  const list = signEnrollmentList(admin, 'test-domain', entries)
  return { admin, keys, enrollment: verifyEnrollmentList(list, admin.publicKeyBase64) }
}
