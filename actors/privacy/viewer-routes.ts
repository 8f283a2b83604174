/**
 * The viewer API, a gateway mount at `/v1/cameras` (runtime/gateway/gateway-mount.ts),
 * authenticated and authorized by the composition's guard exactly as
 * `/v1/actors` is, then answered by the privacy actor on behalf of the caller:
 *
 * - `GET /v1/cameras` → `{cameras: [{id, host, attributes: {faces, people}}]}`
 * - `GET /v1/cameras/:id/snapshot.png` → the latest frame, scrambled per the caller's policy
 * - `GET /v1/cameras/:id/live` → `multipart/x-mixed-replace` of PNG frames, likewise
 * - `GET /v1/cameras/:id/tracks?from=&to=` and `/alerts?from=&to=` (unix ms) → JSON
 *
 * Errors are `{code, message}` with 401/403/404/400. A live stream re-checks
 * its caller's credential and right every `recheckMs` and ends when refused.
 */
import { type Context, Hono } from 'hono'
import type { Caller, Guard, GuardTarget, HostServices } from '../../runtime/index.ts'
import { BaseError } from '../../runtime/index.ts'
import { AuthRequiredError } from '../auth/index.ts'
import { PRIVACY_STATUS_BY_CODE, PrivacyInvalidRequestError } from './errors.ts'
import { createLiveHub, type LiveView, type LiveViewer } from './live-hub.ts'
import { privacyProtocol } from './privacy-protocol.ts'

export type ViewerRoutesOptions = {
  readonly services: Pick<HostServices, 'ask' | 'clock'>
  readonly guard: Guard
  /** Default `privacy`. */
  readonly privacyActor?: string | undefined
  /** The surveillance decision actor answering `decision.alerts`; default `surveil-decision`. */
  readonly decisionActor?: string | undefined
  /** How often a camera's live loop asks again when no newer frame was there, ms; default 10. */
  readonly livePollMs?: number | undefined
  /** How often a live stream re-authenticates its caller and re-checks its view, ms; default 250. */
  readonly recheckMs?: number | undefined
  readonly timeoutMs?: number | undefined
}

type View = LiveView

const BOUNDARY = 'vigilframe'
const STATUS: Readonly<Record<string, number>> = {
  ACTOR_NOT_FOUND: 404,
  ASK_TIMEOUT: 504,
  MAILBOX_FULL: 503,
  HOST_UNAVAILABLE: 503,
  ...PRIVACY_STATUS_BY_CODE,
}

const viewHeaders = (view: View) => ({
  'x-vigil-seq': String(view.seq),
  'x-vigil-faces': String(view.attributes.faces),
  'x-vigil-people': String(view.attributes.people),
})

function timeRange(query: (name: string) => string | undefined, now: number) {
  const from = Number(query('from') ?? now - 60_000)
  const to = Number(query('to') ?? now)
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to)
    throw new PrivacyInvalidRequestError('from and to must be unix ms with from ≤ to')
  return { from, to }
}

type Viewer = {
  admit(request: Request, target: GuardTarget): Promise<Caller>
  ask<Reply>(type: string, payload: unknown, caller: Caller, to?: string): Promise<Reply>
  targetOf(message: keyof typeof privacyProtocol): GuardTarget
  now(): number
}

function viewerOf(options: ViewerRoutesOptions): Viewer {
  const { services, guard } = options
  const actor = options.privacyActor ?? 'privacy'
  const timeoutMs = options.timeoutMs ?? 5_000
  return {
    async admit(request, target) {
      const caller = await guard.authenticate(request, target)
      if (!caller) throw new AuthRequiredError(`${target.actor}/${target.message}`)
      await guard.authorize(caller, target)
      return caller
    },
    ask: (type, payload, caller, to = actor) =>
      services.ask(to, type, payload, { caller, timeoutMs }),
    targetOf: (message) => ({ actor, message, access: privacyProtocol[message].access }),
    now: () => services.clock.now(),
  }
}

function liveRoute(viewer: Viewer, options: ViewerRoutesOptions) {
  const hub = createLiveHub<Caller>({
    next: (cameraId, afterSeq, caller) =>
      viewer.ask<LiveView>('privacy.view', { cameraId, afterSeq }, caller),
    pause: (ms) => Bun.sleep(ms),
    pollMs: options.livePollMs ?? 10,
  })
  return async (c: Context) => {
    const target = viewer.targetOf('privacy.view')
    const caller = await viewer.admit(c.req.raw, target)
    const cameraId = c.req.param('id') ?? ''
    const first = await viewer.ask<LiveView>('privacy.view', { cameraId }, caller)
    const watcher: LiveViewer<Caller> = {
      caller,
      mask: first.mask,
      pending: first,
      wake: undefined,
      closed: false,
    }
    hub.join(cameraId, watcher)
    const recheck = async () => {
      await viewer.admit(c.req.raw, target)
      const now = await viewer.ask<{ mask: number }>('privacy.watch', { cameraId }, caller)
      if (now.mask === watcher.mask) return
      hub.leave(cameraId, watcher)
      watcher.mask = now.mask
      hub.join(cameraId, watcher)
    }
    const stream = liveStream(watcher, {
      recheck,
      leave: () => hub.leave(cameraId, watcher),
      now: viewer.now,
      recheckMs: options.recheckMs ?? 250,
    })
    return new Response(stream, {
      headers: {
        'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
        'cache-control': 'no-store',
        ...viewHeaders(first),
      },
    })
  }
}

function alertsRoute(viewer: Viewer, decisionActor: string) {
  return async (c: Context) => {
    const access = { resource: '/surveillance/alerts', action: 'read' }
    const target = { actor: decisionActor, message: 'decision.alerts', access }
    const caller = await viewer.admit(c.req.raw, target)
    const range = timeRange((n) => c.req.query(n), viewer.now())
    const id = c.req.param('id')
    const reply = await viewer.ask<{ alerts: { cameraId: string; atMs: number }[] }>(
      'decision.alerts',
      {},
      caller,
      decisionActor,
    )
    const alerts = reply.alerts.filter(
      (a) => a.cameraId === id && a.atMs >= range.from && a.atMs <= range.to,
    )
    return c.json({ alerts })
  }
}

/** The Hono app to mount at `/v1/cameras`. */
export function createViewerRoutes(options: ViewerRoutesOptions): Hono {
  const viewer = viewerOf(options)
  const statusByCode = { ...options.guard.statusByCode, ...STATUS }
  const app = new Hono()

  app.onError((error, c) => {
    const known = BaseError.is(error)
    const code = known ? (error as { code: string }).code : 'INTERNAL'
    const message = known
      ? ((error as BaseError).shortMessage ?? (error as Error).message)
      : 'the viewer API failed; see the host log'
    return c.json({ code, message }, (statusByCode[code] ?? 500) as 500)
  })

  app.get('/', async (c) => {
    const caller = await viewer.admit(c.req.raw, viewer.targetOf('privacy.cameras'))
    return c.json(await viewer.ask('privacy.cameras', {}, caller))
  })

  app.get('/:id/snapshot.png', async (c) => {
    const caller = await viewer.admit(c.req.raw, viewer.targetOf('privacy.view'))
    const view = await viewer.ask<View>('privacy.view', { cameraId: c.req.param('id') }, caller)
    return new Response(view.png, {
      headers: { 'content-type': 'image/png', 'cache-control': 'no-store', ...viewHeaders(view) },
    })
  })

  app.get('/:id/live', liveRoute(viewer, options))

  app.get('/:id/tracks', async (c) => {
    const caller = await viewer.admit(c.req.raw, viewer.targetOf('privacy.tracks'))
    const range = timeRange((n) => c.req.query(n), viewer.now())
    const payload = { cameraId: c.req.param('id'), ...range }
    return c.json(await viewer.ask('privacy.tracks', payload, caller))
  })

  app.get('/:id/alerts', alertsRoute(viewer, options.decisionActor ?? 'surveil-decision'))

  return app
}

type LiveOptions = {
  recheck(): Promise<void>
  leave(): void
  now(): number
  recheckMs: number
}

const encoder = new TextEncoder()

function part(view: LiveView & { png: Uint8Array }): Uint8Array {
  const head = encoder.encode(
    `--${BOUNDARY}\r\nContent-Type: image/png\r\nContent-Length: ${view.png.length}\r\n` +
      `X-Vigil-Seq: ${view.seq}\r\nX-Vigil-Faces: ${view.attributes.faces}\r\n` +
      `X-Vigil-People: ${view.attributes.people}\r\n\r\n`,
  )
  const out = new Uint8Array(head.length + view.png.length + 2)
  out.set(head)
  out.set(view.png, head.length)
  out.set([13, 10], head.length + view.png.length)
  return out
}

/** Waits for the watcher's next frame (or the re-check period). */
function nextWake(watcher: LiveViewer<Caller>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      watcher.wake = undefined
      resolve()
    }
    watcher.wake = done
  })
}

/** The watcher's frames as multipart parts; ends when a re-check refuses the caller. */
function liveStream(watcher: LiveViewer<Caller>, options: LiveOptions): ReadableStream<Uint8Array> {
  let checkedAt = options.now()
  const close = () => {
    watcher.closed = true
    options.leave()
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          while (!watcher.closed) {
            if (options.now() - checkedAt >= options.recheckMs) {
              await options.recheck()
              checkedAt = options.now()
            }
            const view = watcher.pending
            if (view?.png && view.mask === watcher.mask) {
              watcher.pending = undefined
              controller.enqueue(part({ ...view, png: view.png }))
              return
            }
            await nextWake(watcher, options.recheckMs)
          }
        } catch {
          close()
        }
        controller.close()
      },
      cancel: close,
    },
    { highWaterMark: 0 },
  )
}
