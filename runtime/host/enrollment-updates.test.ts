/**
 * Enrollment changes while hosts run: three hosts over TCP on loopback; the
 * operator pushes a re-signed list without edge-2 to fog-1 only, and the
 * change reaches edge-1 through fog-1; edge-2's connections close and its
 * new ones are refused; a forged list is refused with ENROLLMENT_INVALID.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDomainFiles } from '../domain/create-domain-files.ts'
import { readEnrollmentList, signEnrollmentList } from '../rpc/enrollment-list.ts'
import { generateHostKey, readHostKey } from '../rpc/host-key.ts'
import { waitFor } from '../testing/index.ts'
import { hostConfigSchema } from './host-config.ts'
import { type Host, startHost } from './start-host.ts'

setDefaultTimeout(30_000)

const dir = await mkdtemp(join(tmpdir(), 'vigil-enroll-'))
const hosts = new Map<string, Host>()
afterAll(async () => {
  await Promise.all([...hosts.values()].map((host) => host.stop()))
  await rm(dir, { recursive: true, force: true })
})

describe('enrollment updates without restart', async () => {
  const ids = [
    { id: 'fog-1', role: 'fog' as const },
    { id: 'edge-1', role: 'edge' as const },
    { id: 'edge-2', role: 'edge' as const },
  ]
  const files = await createDomainFiles({ dir, hosts: ids })
  for (const { id, role } of ids) {
    const enrollmentFile = join(dir, `${id}.enrollment.json`)
    await copyFile(files.enrollmentFile, enrollmentFile)
    const fog = hosts.get('fog-1')
    const host = await startHost({
      config: hostConfigSchema.parse({
        id,
        role,
        keyFile: files.keyFile(id),
        enrollmentFile,
        adminPublicKey: files.adminPublicKey,
        adminTokenFile: files.adminTokenFile,
        seeds: fog ? [fog.info.rpc] : [],
        heartbeatIntervalMs: 50,
        suspicionTimeoutMs: 400,
      }),
      log: () => {},
    })
    hosts.set(id, host)
  }
  const [fog, edge1, edge2] = ['fog-1', 'edge-1', 'edge-2'].map((id) => hosts.get(id) as Host) as [
    Host,
    Host,
    Host,
  ]
  const linked = (host: Host, peer: string) =>
    host.status().connections.some((c) => c.hostId === peer && c.open > 0)
  await waitFor(() => linked(fog, 'edge-2') && linked(edge1, 'edge-2') && linked(fog, 'edge-1'))
  // Joined too (the revocation test checks edge-2 is still up afterwards, not that it joined).
  await waitFor(() => [fog, edge1, edge2].every((host) => host.isReady()))
  const push = (list: unknown) =>
    fetch(`${fog.info.http}/v1/admin/enrollment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${files.adminToken}` },
      body: JSON.stringify(list),
    })

  test('a forged list is refused with ENROLLMENT_INVALID and changes nothing', async () => {
    const current = await readEnrollmentList(files.enrollmentFile, files.adminPublicKey)
    const forged = signEnrollmentList(generateHostKey(), current.domain, current.hosts.slice(0, 2))
    const response = await push(forged)
    expect(response.status).toBe(422)
    expect(((await response.json()) as { code: string }).code).toBe('ENROLLMENT_INVALID')
    expect(linked(fog, 'edge-2')).toBe(true)
  })

  test('a list without edge-2 pushed to one host cuts edge-2 off everywhere and is saved', async () => {
    const admin = await readHostKey(join(dir, 'keys', 'admin.pem'))
    const current = await readEnrollmentList(files.enrollmentFile, files.adminPublicKey)
    const next = signEnrollmentList(
      admin,
      current.domain,
      current.hosts.filter((h) => h.hostId !== 'edge-2'),
      new Date(Date.parse(current.issuedAt as string) + 1000).toISOString(),
    )
    const response = await push(next)
    expect(await response.json()).toEqual({
      applied: true,
      revoked: ['edge-2'],
      issuedAt: next.issuedAt,
    })
    // fog-1 at once; edge-1 through fog-1's host.enrollment.
    expect(linked(fog, 'edge-2')).toBe(false)
    await waitFor(() => !linked(edge1, 'edge-2'), {
      timeoutMs: 1_000,
      message: 'edge-1 drops edge-2',
    })
    const refusedBefore = Object.values(fog.status().refused).reduce((a, b) => a + b, 0)
    await waitFor(
      () => Object.values(fog.status().refused).reduce((a, b) => a + b, 0) > refusedBefore,
      {
        message: "fog-1 refuses edge-2's new connections",
      },
    )
    const saved = await readEnrollmentList(
      join(dir, 'edge-1.enrollment.json'),
      files.adminPublicKey,
    )
    expect(saved.find('edge-2')).toBeUndefined()
    expect(linked(fog, 'edge-1')).toBe(true)
    expect(edge2.isReady()).toBe(true)
  })

  test('pushing the same list again is not applied twice', async () => {
    const saved = await readEnrollmentList(join(dir, 'fog-1.enrollment.json'), files.adminPublicKey)
    const response = await push(saved.signed)
    expect(((await response.json()) as { applied: boolean }).applied).toBe(false)
  })
})
