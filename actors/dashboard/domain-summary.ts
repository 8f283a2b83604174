/**
 * The dashboard's view of the whole domain, as one host's gateway answers
 * it: its own summary, each live peer's (fetched from that peer's
 * dashboard with the caller's own `Authorization`, so a peer authorizes the
 * caller itself), and every gateway's request total from its `/metrics`.
 * A peer that does not answer is listed with the reason, never dropped.
 */
import type { HostSummary } from './host-summary.ts'
import { requestsTotal } from './requests-total.ts'

export type HostRow =
  | (HostSummary & { requests: number | null })
  | { hostId: string; role: string; status: string; error: string }

export type DomainSummary = {
  /** Wall-clock ms of this summary. */
  at: number
  /** The host that answered. */
  via: string
  hosts: HostRow[]
}

export type DomainSummaryOptions = {
  self: HostSummary
  /** The caller's Authorization header, passed on to peers. */
  authorization: string | undefined
  /** Where the dashboard is mounted on every host, e.g. `/dashboard`. */
  mountPath: string
  timeoutMs: number
}

async function fetchText(url: string, options: DomainSummaryOptions): Promise<string> {
  const headers: Record<string, string> = options.authorization
    ? { authorization: options.authorization }
    : {}
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs) })
  const text = await response.text()
  if (!response.ok) {
    const body = JSON.parse(text || '{}') as { code?: string; message?: string }
    throw new Error(`${response.status} ${body.code ?? ''} ${body.message ?? ''}`.trim())
  }
  return text
}

async function requestsOf(http: string, options: DomainSummaryOptions): Promise<number | null> {
  try {
    return requestsTotal(await fetchText(`${http}/metrics`, options))
  } catch {
    return null
  }
}

async function peerRow(
  member: HostSummary['members'][number],
  options: DomainSummaryOptions,
): Promise<HostRow> {
  try {
    const [summary, requests] = await Promise.all([
      fetchText(`${member.http}${options.mountPath}/api/host`, options),
      requestsOf(member.http, options),
    ])
    return { ...(JSON.parse(summary) as HostSummary), requests }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { hostId: member.hostId, role: member.role, status: member.status, error: reason }
  }
}

/** Gathers every member's row; members that are not alive are listed with their status. */
export async function domainSummary(options: DomainSummaryOptions): Promise<DomainSummary> {
  const { self } = options
  const peers = self.members.filter((member) => member.hostId !== self.hostId)
  const rows = await Promise.all([
    requestsOf(self.http, options).then((requests): HostRow => ({ ...self, requests })),
    ...peers.map((member) =>
      member.status === 'alive' && member.http
        ? peerRow(member, options)
        : Promise.resolve<HostRow>({
            hostId: member.hostId,
            role: member.role,
            status: member.status,
            error: `host is ${member.status}`,
          }),
    ),
  ])
  rows.sort((a, b) => a.hostId.localeCompare(b.hostId))
  return { at: Date.now(), via: self.hostId, hosts: rows }
}
