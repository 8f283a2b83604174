/**
 * Creates what a domain administrator hands out: an administrator key, one
 * key per host, the signed enrollment list, an admin token for the gateways'
 * operator routes, and host config files. Used by `vigil domain enroll`-style
 * tooling, the one-machine domain and tests; keys are generated fresh, never
 * hard-coded. Private keys are written with mode 0600.
 */
import { chmod, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { HostConfigInput } from '../host/host-config.ts'
import { type EnrolledHost, type HostRole, signEnrollmentList } from '../rpc/enrollment-list.ts'
import { generateHostKey, writeHostKey } from '../rpc/host-key.ts'

export type DomainHostSpec = {
  id: string
  role: HostRole
  labels?: Record<string, string> | undefined
  capacity?: number | undefined
}

export type DomainFiles = {
  dir: string
  domain: string
  adminPublicKey: string
  enrollmentFile: string
  adminTokenFile: string
  adminToken: string
  keyFile(hostId: string): string
  /** Writes `hosts/<id>.json` for one host and returns its path. */
  writeHostConfig(host: DomainHostSpec, extra: Partial<HostConfigInput>): Promise<string>
}

/** Generates keys, enrollment and token for the hosts under `dir`. */
export async function createDomainFiles(options: {
  dir: string
  domain?: string | undefined
  hosts: readonly DomainHostSpec[]
}): Promise<DomainFiles> {
  const domain = options.domain ?? 'local'
  const dir = options.dir
  await mkdir(join(dir, 'keys'), { recursive: true })
  await mkdir(join(dir, 'hosts'), { recursive: true })
  const admin = generateHostKey()
  await writeHostKey(join(dir, 'keys', 'admin.pem'), admin)
  const entries: EnrolledHost[] = []
  for (const host of options.hosts) {
    const key = generateHostKey()
    await writeHostKey(join(dir, 'keys', `${host.id}.pem`), key)
    entries.push({ hostId: host.id, role: host.role, publicKey: key.publicKeyBase64 })
  }
  const enrollmentFile = join(dir, 'enrollment.json')
  await Bun.write(
    enrollmentFile,
    JSON.stringify(signEnrollmentList(admin, domain, entries), null, 2),
  )
  const adminToken = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
  const adminTokenFile = join(dir, 'keys', 'admin.token')
  await Bun.write(adminTokenFile, adminToken)
  await chmod(adminTokenFile, 0o600)
  const keyFile = (hostId: string) => join(dir, 'keys', `${hostId}.pem`)
  return {
    dir,
    domain,
    adminPublicKey: admin.publicKeyBase64,
    enrollmentFile,
    adminTokenFile,
    adminToken,
    keyFile,
    async writeHostConfig(host, extra) {
      const file = join(dir, 'hosts', `${host.id}.json`)
      const config: HostConfigInput = {
        id: host.id,
        role: host.role,
        labels: host.labels ?? {},
        ...(host.capacity !== undefined ? { capacity: host.capacity } : {}),
        keyFile: keyFile(host.id),
        enrollmentFile,
        adminPublicKey: admin.publicKeyBase64,
        adminTokenFile,
        runFile: join(dir, 'run', `${host.id}.json`),
        ...extra,
      }
      await Bun.write(file, JSON.stringify(config, null, 2))
      return file
    },
  }
}
