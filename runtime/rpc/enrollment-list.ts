/**
 * The domain's enrollment list: which hosts may join, with which role and
 * public key, signed by the domain administrator's Ed25519 key. Hosts verify
 * the signature against the administrator's public key from their own
 * configuration (never from the list itself) before trusting any entry.
 * The ledger's identity registry replaces this file later.
 */
import { z } from 'zod'
import { defineError } from '../errors/define-error.ts'
import { type HostKey, publicKeyFromBase64, signBytes, verifyBytes } from './host-key.ts'

export const hostRoleSchema = z.enum(['edge', 'fog', 'cloud'])
export type HostRole = z.infer<typeof hostRoleSchema>

const enrolledHostSchema = z.object({
  hostId: z.string().min(1),
  role: hostRoleSchema,
  publicKey: z.string().min(1),
})
export type EnrolledHost = z.infer<typeof enrolledHostSchema>

const enrollmentListSchema = z.object({
  domain: z.string().min(1),
  issuedAt: z.string(),
  hosts: z.array(enrolledHostSchema),
  adminPublicKey: z.string(),
  signature: z.string().min(1),
})
export type EnrollmentList = z.infer<typeof enrollmentListSchema>

/** The enrollment file is unreadable, malformed or not signed by the configured administrator. */
export class EnrollmentInvalidError extends defineError('ENROLLMENT_INVALID') {
  constructor(reason: string) {
    super(`Enrollment list rejected: ${reason}; re-create it with 'vigil domain enroll'`, {
      kind: 'application',
    })
  }
}

/** The bytes the administrator signs: a canonical JSON of domain, time and sorted hosts. */
function signedBytes(list: Pick<EnrollmentList, 'domain' | 'issuedAt' | 'hosts'>): Uint8Array {
  const hosts = [...list.hosts]
    .sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0))
    .map((host) => [host.hostId, host.role, host.publicKey])
  return new TextEncoder().encode(
    JSON.stringify(['vigil-enrollment-v1', list.domain, list.issuedAt, hosts]),
  )
}

/** Signs an enrollment list with the administrator's key. */
export function signEnrollmentList(
  admin: HostKey,
  domain: string,
  hosts: readonly EnrolledHost[],
  issuedAt = new Date().toISOString(),
): EnrollmentList {
  const body = { domain, issuedAt, hosts: [...hosts] }
  const signature = Buffer.from(signBytes(admin, signedBytes(body))).toString('base64')
  return { ...body, adminPublicKey: admin.publicKeyBase64, signature }
}

/** Verified lookup of enrolled hosts. */
export type Enrollment = {
  readonly domain: string
  /** When the administrator signed the list (ISO 8601); a newer list replaces an older one. */
  readonly issuedAt?: string | undefined
  /** The signed list itself, to hand on to peers. */
  readonly signed?: EnrollmentList | undefined
  readonly hosts: readonly EnrolledHost[]
  /** The entry for `hostId`, or undefined when it is not enrolled. */
  find(hostId: string): EnrolledHost | undefined
}

/** Checks the list's shape and signature against the trusted administrator key. */
export function verifyEnrollmentList(raw: unknown, adminPublicKeyBase64: string): Enrollment {
  const parsed = enrollmentListSchema.safeParse(raw)
  if (!parsed.success) {
    throw new EnrollmentInvalidError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    )
  }
  const list = parsed.data
  if (list.adminPublicKey !== adminPublicKeyBase64) {
    throw new EnrollmentInvalidError('signed by a different administrator key than configured')
  }
  let adminKey: ReturnType<typeof publicKeyFromBase64>
  try {
    adminKey = publicKeyFromBase64(adminPublicKeyBase64)
  } catch (error) {
    throw new EnrollmentInvalidError(`administrator public key: ${(error as Error).message}`)
  }
  const signature = Buffer.from(list.signature, 'base64')
  if (!verifyBytes(adminKey, signedBytes(list), signature)) {
    throw new EnrollmentInvalidError('signature does not verify')
  }
  const byId = new Map(list.hosts.map((host) => [host.hostId, host]))
  return {
    domain: list.domain,
    issuedAt: list.issuedAt,
    signed: list,
    hosts: list.hosts,
    find: (hostId) => byId.get(hostId),
  }
}

/** Reads and verifies an enrollment file. */
export async function readEnrollmentList(
  path: string,
  adminPublicKeyBase64: string,
): Promise<Enrollment> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new EnrollmentInvalidError(`file not found: ${path}`)
  let raw: unknown
  try {
    raw = await file.json()
  } catch {
    throw new EnrollmentInvalidError(`${path} is not JSON`)
  }
  return verifyEnrollmentList(raw, adminPublicKeyBase64)
}
