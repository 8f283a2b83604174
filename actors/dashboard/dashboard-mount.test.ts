/**
 * The dashboard mount's own routes, in-process (`app.request`) with a
 * stand-in guard and host status (unit tests; the real guard and hosts are
 * in tests/dashboard/dashboard.test.ts), and the domain summary against
 * peers served on loopback.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { Hono } from 'hono'
import { BaseError, type Guard, type HostStatus } from '../../runtime/index.ts'
import { dashboardMount } from './dashboard-mount.ts'
import { domainSummary, type HostRow } from './domain-summary.ts'
import { hostSummary } from './host-summary.ts'
import { requestsTotal } from './requests-total.ts'

/** Bearer `op` may read the dashboard; `viewer` is known but refused; anyone else is anonymous. */
const guard: Guard = {
  authenticate: (request) => {
    const who = request.headers.get('authorization')?.replace('Bearer ', '')
    if (!who) throw new BaseError('AUTH_REQUIRED', 'sign in first')
    return { id: who }
  },
  authorize: (caller, target) => {
    if (caller.id !== 'op')
      throw new BaseError('ACCESS_DENIED', `${caller.id} may not ${JSON.stringify(target.access)}`)
  },
  statusByCode: { AUTH_REQUIRED: 401, ACCESS_DENIED: 403 },
}

function statusOf(hostId: string, members: { hostId: string; status: string; http: string }[]) {
  const info = {
    hostId,
    role: 'fog',
    labels: {},
    capacity: 8,
    rpc: '',
    http: '',
    startedAt: 1,
    deployment: 'd',
  }
  return {
    host: { ...info, http: members.find((m) => m.hostId === hostId)?.http ?? '' },
    ready: true,
    members: members.map((m) => ({ ...info, ...m, lastSeen: 0, lastSeenAgoMs: 5 })),
    placement: { echo: { actor: 'echo', hosts: [hostId], tier: 'preferred' } },
    load: { [hostId]: 2 },
    actors: [
      {
        name: 'echo',
        kind: 'echo',
        version: 3,
        status: 'running',
        supervisor: 'root',
        module: '/m.ts',
        received: 7,
        processed: 6,
        failed: 1,
        restarts: 2,
        mailboxDepth: 1,
      },
    ],
    connections: [],
    refused: {},
    router: {},
    rssMb: 42,
  } as unknown as HostStatus
}

const app = (status: HostStatus | undefined) => {
  const root = new Hono()
  const mount = dashboardMount({ services: { hostId: 'fog-1', status: () => status }, guard })
  root.route(mount.path, mount.routes)
  return root
}

const servers: { stop(): void }[] = []
afterAll(() => {
  for (const server of servers) server.stop()
})

describe('the dashboard mount', () => {
  test('serves the page to anyone, under a content security policy, and names the host', async () => {
    const response = await app(undefined).request('/dashboard')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await response.text()
    expect(html).toContain('data-host="fog-1"')
    expect(html).toContain('src="/dashboard/assets/dashboard.js"')
  })

  test('bundles its client module with uPlot and the EIP-4361 signer, and refuses unknown assets with 404', async () => {
    const script = await app(undefined).request('/dashboard/assets/dashboard.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toStartWith('text/javascript')
    const code = await script.text()
    expect(code).toContain('Sign in to vigil.')
    expect(code).toContain('u-legend')
    const css = await app(undefined).request('/dashboard/assets/uPlot.min.css')
    expect(await css.text()).toContain('.uplot')
    const missing = await app(undefined).request('/dashboard/assets/..%2Fpackage.json')
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { code: string }).code).toBe('DASHBOARD_ASSET_NOT_FOUND')
  })

  test('answers host data only to a caller the guard authorizes for /dashboard read', async () => {
    const routes = app(statusOf('fog-1', [{ hostId: 'fog-1', status: 'alive', http: 'http://x' }]))
    const anonymous = await routes.request('/dashboard/api/host')
    expect(anonymous.status).toBe(401)
    const viewer = await routes.request('/dashboard/api/host', {
      headers: { authorization: 'Bearer viewer' },
    })
    expect(viewer.status).toBe(403)
    expect(((await viewer.json()) as { message: string }).message).toContain('/dashboard')
    const operator = await routes.request('/dashboard/api/host', {
      headers: { authorization: 'Bearer op' },
    })
    expect(operator.status).toBe(200)
    expect(await operator.json()).toMatchObject({
      hostId: 'fog-1',
      rssMb: 42,
      placementLoad: 2,
      actors: [{ name: 'echo', version: 3, received: 7, failed: 1, restarts: 2, mailboxDepth: 1 }],
    })
  })

  test('answers 503 DASHBOARD_HOST_STARTING while the host has no status yet', async () => {
    const response = await app(undefined).request('/dashboard/api/host', {
      headers: { authorization: 'Bearer op' },
    })
    expect(response.status).toBe(503)
    expect(((await response.json()) as { code: string }).code).toBe('DASHBOARD_HOST_STARTING')
  })
})

describe('the domain summary', () => {
  test('lists every member: a live peer with its summary and request total, a refusing peer and a dead one with the reason', async () => {
    let seenAuthorization = null as string | null
    const peer = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch(request) {
        const path = new URL(request.url).pathname
        seenAuthorization = request.headers.get('authorization')
        if (path === '/metrics')
          return new Response(
            'vigil_http_requests_total{route="a",status="200"} 5\nvigil_http_requests_total{route="b",status="404"} 2\n',
          )
        return Response.json(hostSummary(statusOf('edge-1', [])))
      },
    })
    const refusing = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () => Response.json({ code: 'ACCESS_DENIED', message: 'no right' }, { status: 403 }),
    })
    servers.push(peer, refusing)
    const members = [
      { hostId: 'fog-1', status: 'alive', http: 'http://127.0.0.1:1' },
      { hostId: 'edge-1', status: 'alive', http: peer.url.origin },
      { hostId: 'edge-2', status: 'alive', http: refusing.url.origin },
      { hostId: 'edge-3', status: 'dead', http: 'http://127.0.0.1:1' },
    ]
    const summary = await domainSummary({
      self: hostSummary(statusOf('fog-1', members)),
      authorization: 'Bearer op',
      mountPath: '/dashboard',
      timeoutMs: 2000,
    })
    const byId = new Map<string, HostRow>(summary.hosts.map((row) => [row.hostId, row]))
    expect(summary.hosts.map((row) => row.hostId)).toEqual(['edge-1', 'edge-2', 'edge-3', 'fog-1'])
    expect(byId.get('edge-1')).toMatchObject({
      role: 'fog',
      requests: 7,
      actors: [{ name: 'echo' }],
    })
    expect(seenAuthorization).toBe('Bearer op')
    expect(byId.get('edge-2')).toMatchObject({ error: '403 ACCESS_DENIED no right' })
    expect(byId.get('edge-3')).toMatchObject({ status: 'dead', error: 'host is dead' })
    // fog-1's own /metrics is unreachable here: its row stays, without a total.
    expect(byId.get('fog-1')).toMatchObject({ requests: null, rssMb: 42 })
  })

  test('sums the request counter over routes and statuses and ignores other families', () => {
    const text = [
      '# TYPE vigil_http_requests_total counter',
      'vigil_http_requests_total{route="POST /v1/actors/echo",status="200"} 12',
      'vigil_http_requests_total{route="GET /metrics",status="200"} 3',
      'vigil_http_request_duration_seconds_count{route="GET /metrics"} 3',
      'vigil_actor_received_total{actor="echo"} 40',
    ].join('\n')
    expect(requestsTotal(text)).toBe(15)
    expect(requestsTotal('')).toBe(0)
  })
})
