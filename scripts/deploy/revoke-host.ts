/**
 * The operator's side of a revocation: re-sign the domain's enrollment list
 * without the host (with the operator key in the admin folder), save it there,
 * and push it to every remaining host's gateway (POST /v1/admin/enrollment
 * with that host's operator token). Hosts pass it on to each other, so one
 * accepting host is enough; the others are tried for speed.
 */
import { join } from 'node:path'
import {
  ConfigError,
  type EnrolledHost,
  type EnrollmentList,
  readEnrollmentList,
  readHostKey,
  signEnrollmentList,
} from '../../runtime/index.ts'
import type { DomainIndex } from './init-domain.ts'

export type PushResult = {
  hostId: string
  status: number | 'unreachable'
  applied?: boolean | undefined
}

/** Removes `hostId` from the signed list in `adminDir` and pushes the new list to the domain. */
export function revokeHost(options: {
  adminDir: string
  hostId: string
  timeoutMs?: number | undefined
}): Promise<{ list: EnrollmentList; pushed: PushResult[] }> {
  return changeEnrollment(options, (hosts, domain) => {
    if (!hosts.some((host) => host.hostId === options.hostId)) {
      throw new ConfigError(
        [{ path: '--host', message: `${options.hostId} is not enrolled in ${domain}` }],
        options.adminDir,
      )
    }
    return hosts.filter((host) => host.hostId !== options.hostId)
  })
}

/** Adds (or re-keys) a host in the signed list in `adminDir` and pushes the new list. */
export function enrollHost(options: {
  adminDir: string
  host: EnrolledHost
  timeoutMs?: number | undefined
}): Promise<{ list: EnrollmentList; pushed: PushResult[] }> {
  return changeEnrollment(options, (hosts) => [
    ...hosts.filter((host) => host.hostId !== options.host.hostId),
    options.host,
  ])
}

/** Re-signs the operator's list with `change` applied, saves it, pushes it to every listed gateway. */
async function changeEnrollment(
  options: { adminDir: string; timeoutMs?: number | undefined },
  change: (hosts: readonly EnrolledHost[], domain: string) => EnrolledHost[],
): Promise<{ list: EnrollmentList; pushed: PushResult[] }> {
  const { adminDir } = options
  const operator = await readHostKey(join(adminDir, 'operator.pem'))
  const current = await readEnrollmentList(
    join(adminDir, 'enrollment.json'),
    operator.publicKeyBase64,
  )
  // Strictly later than the list it replaces (hosts ignore a list that is not newer).
  const issuedAt = new Date(
    Math.max(Date.now(), Date.parse(current.issuedAt ?? '') + 1),
  ).toISOString()
  const hosts = change(current.hosts, current.domain)
  const list = signEnrollmentList(operator, current.domain, hosts, issuedAt)
  await Bun.write(join(adminDir, 'enrollment.json'), JSON.stringify(list, null, 2))
  const index = (await Bun.file(join(adminDir, 'domain.json')).json()) as DomainIndex
  const targets = index.hosts.filter((host) => hosts.some((h) => h.hostId === host.id))
  const caFile = Bun.file(join(adminDir, 'ca', 'ca.pem'))
  const ca = (await caFile.exists()) ? await caFile.text() : undefined
  const pushed = await Promise.all(
    targets.map((host) => pushTo(host, adminDir, list, options.timeoutMs ?? 3000, ca)),
  )
  return { list, pushed }
}

async function pushTo(
  host: DomainIndex['hosts'][number],
  adminDir: string,
  list: EnrollmentList,
  timeoutMs: number,
  ca: string | undefined,
): Promise<PushResult> {
  const token = (await Bun.file(join(adminDir, host.tokenFile)).text()).trim()
  try {
    const response = await fetch(`${host.gateway}/v1/admin/enrollment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(list),
      signal: AbortSignal.timeout(timeoutMs),
      // The domain's own CA vouches for the gateways' certificates.
      ...(ca ? { tls: { ca } } : {}),
    })
    const body = (await response.json().catch(() => ({}))) as { applied?: boolean }
    return { hostId: host.id, status: response.status, applied: body.applied }
  } catch {
    return { hostId: host.id, status: 'unreachable' }
  }
}
