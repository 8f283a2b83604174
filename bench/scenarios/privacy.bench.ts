/**
 * `bun run bench privacy [--json] [--frames 300] [--seconds 10] [--viewers 10] [--camera-fps 30]`:
 * the privacy service's costs at 640×360 with 4 regions (2 faces, 2 people,
 * padded as the actor pads them):
 * - scramble: pad + AES-256-GCM in place + sidecar, per frame (the latency
 *   the edge adds), as frames/s and MB/s of frame bytes;
 * - unscramble: sidecar check, frame copy, decrypt and authenticate all 4;
 * - viewers: the privacy actor in its worker fed `--camera-fps` frames/s,
 *   the viewer API (`createViewerRoutes`) on a loopback Bun.serve socket,
 *   and `--viewers` concurrent clients of `/v1/cameras/cam-1/live` (half
 *   allowed everything, half nothing: two renderings per frame), counting
 *   the PNG parts each receives (clients in their own process,
 *   privacy-live-clients.ts). The guard and the policy actors are
 *   fixtures (a token is the address; actors/privacy/testing/), so this
 *   measures the privacy path, not sign-in.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createViewerRoutes,
  openCameraKeyStore,
  padRegions,
  type RegionBox,
  scrambleFrame,
  unscrambleFrame,
} from '../../actors/privacy/index.ts'
import { syntheticFrame } from '../../actors/privacy/testing/index.ts'
import { type Caller, createActorSystem, type Guard } from '../../runtime/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { percentile, round } from '../harness/stats.ts'

const W = 640
const H = 360
const FRAME_BYTES = W * H * 3
const BOXES: RegionBox[] = [
  { attribute: 'faces', x: 110, y: 40, w: 40, h: 48 },
  { attribute: 'faces', x: 430, y: 60, w: 36, h: 40 },
  { attribute: 'people', x: 80, y: 20, w: 90, h: 260 },
  { attribute: 'people', x: 400, y: 40, w: 80, h: 250 },
]
const PAD = { fraction: 0.15, pixels: 4 }
const CLEAR = '0x00000000000000000000000000000000000000c1'
const BLIND = '0x00000000000000000000000000000000000000b1'

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`)
  const value = at >= 0 ? Number(args[at + 1]) : fallback
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`)
  return value
}

function cipherFigures(frames: number) {
  const keys = openCameraKeyStore(mkdtempSync(join(tmpdir(), 'vigil-privacy-bench-')), 'cam-1')
  const epoch = keys.nextEpoch()
  const original = syntheticFrame(W, H, 5)
  const work = { ...original, pixels: new Uint8Array(FRAME_BYTES) }
  const scrambleMs: number[] = []
  const unscrambleMs: number[] = []
  let regionBytes = 0
  for (let seq = 0; seq < frames; seq++) {
    work.pixels.set(original.pixels)
    const started = performance.now()
    const regions = padRegions(BOXES, W, H, PAD)
    const sidecar = scrambleFrame(work, regions, (a) => keys.key(epoch, a), {
      camera: 'cam-1',
      epoch,
      seq,
      t: seq,
    })
    scrambleMs.push(performance.now() - started)
    regionBytes = regions.reduce((n, r) => n + r.w * r.h * 3, 0)
    const all = { faces: keys.key(epoch, 'faces'), people: keys.key(epoch, 'people') }
    const back = performance.now()
    unscrambleFrame(work, sidecar, all, ['faces', 'people'])
    unscrambleMs.push(performance.now() - back)
  }
  const fps = (samples: number[]) => 1000 / (samples.reduce((a, b) => a + b, 0) / samples.length)
  const scrambleFps = fps(scrambleMs)
  const unscrambleFps = fps(unscrambleMs)
  return {
    scramble_fps: round(scrambleFps, 0),
    scramble_mb_s: round((scrambleFps * FRAME_BYTES) / 1e6, 1),
    scramble_region_mb_s: round((scrambleFps * regionBytes) / 1e6, 1),
    scramble_added_ms_p50: round(percentile(scrambleMs, 50), 3),
    scramble_added_ms_p99: round(percentile(scrambleMs, 99), 3),
    unscramble_fps: round(unscrambleFps, 0),
    unscramble_mb_s: round((unscrambleFps * FRAME_BYTES) / 1e6, 1),
    region_bytes_per_frame: regionBytes,
  }
}

const guard: Guard = {
  statusByCode: {},
  authenticate(request): Caller | undefined {
    const token = request.headers.get('authorization')?.slice(7)
    return token ? { id: token } : undefined
  },
  authorize() {},
}

/** The privacy actor (and policy fixtures) in workers, the viewer API on a loopback socket. */
async function startViewerService(dir: string) {
  const system = createActorSystem()
  const fixtures = new URL('../../actors/privacy/testing/policy-actors-fixture.ts', import.meta.url)
    .href
  await system.spawn(
    'privacy-policy',
    { module: fixtures, export: 'policyFixture' },
    { args: { clear: [CLEAR] } },
  )
  await system.spawn(
    'access-control',
    { module: fixtures, export: 'accessFixture' },
    { args: { clear: [CLEAR] } },
  )
  const privacyModule = new URL('../../actors/privacy/privacy-actor.ts', import.meta.url).href
  await system.spawn(
    'privacy',
    { module: privacyModule, export: 'privacyActor' },
    {
      args: {
        keyDir: dir,
        cameras: [{ id: 'cam-1', account: '0x00000000000000000000000000000000000000ca' }],
      },
    },
  )
  const routes = createViewerRoutes({
    services: {
      ask: (actor, type, payload, options) => system.ask(actor, type, payload, options),
      clock: system.clock,
    },
    guard,
  })
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: routes.fetch })
  return { system, server }
}

async function viewerFigures(
  seconds: number,
  viewers: number,
  cameraFps: number,
  log: (t: string) => void,
) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-privacy-bench-'))
  const { system, server } = await startViewerService(dir)
  const original = syntheticFrame(W, H, 7)
  const persons = BOXES.filter((b) => b.attribute === 'people')
  const faces = BOXES.filter((b) => b.attribute === 'faces')
  let ingested = 0
  const feed = setInterval(() => {
    void system
      .ask('privacy', 'privacy.ingest', {
        cameraId: 'cam-1',
        pixels: original.pixels,
        faces,
        persons,
      })
      .then(() => ingested++)
  }, 1000 / cameraFps)
  await system.ask('privacy', 'privacy.ingest', {
    cameraId: 'cam-1',
    pixels: original.pixels,
    faces,
    persons,
  })
  const fedFrom = performance.now()
  const fedBefore = ingested
  const url = `http://127.0.0.1:${server.port}/cam-1/live`
  const tokens = Array.from({ length: viewers }, (_, i) => (i % 2 === 0 ? CLEAR : BLIND))
  const clients = Bun.spawn(
    ['bun', join(import.meta.dir, 'privacy-live-clients.ts'), url, String(seconds), ...tokens],
    { stdout: 'pipe', stderr: 'inherit' },
  )
  const perClient = (JSON.parse(await new Response(clients.stdout).text()) as { fps: number[] }).fps
  clearInterval(feed)
  const cameraFpsAchieved = ((ingested - fedBefore) * 1000) / (performance.now() - fedFrom)
  log(
    `viewers: ${perClient.map((f) => round(f, 1)).join(' ')} fps; camera ingested ${ingested} frames`,
  )
  server.stop(true)
  await system.shutdown({ deadlineMs: 2_000 })
  rmSync(dir, { recursive: true, force: true })
  return {
    viewer_fps_10_clients: round(perClient.reduce((a, b) => a + b, 0) / perClient.length, 1),
    viewer_fps_min: round(Math.min(...perClient), 1),
    viewers,
    camera_fps_offered: cameraFps,
    camera_fps_achieved: round(cameraFpsAchieved, 1),
  }
}

export const scenario: BenchScenario = {
  name: 'privacy',
  description:
    'scramble/unscramble throughput at 640×360 with 4 regions; /live to concurrent viewers',
  async run({ log, args }) {
    const cipher = cipherFigures(option(args, 'frames', 300))
    log(
      `scramble: ${cipher.scramble_fps} frames/s (${cipher.scramble_mb_s} MB/s of frames), p50 ${cipher.scramble_added_ms_p50} ms; unscramble ${cipher.unscramble_fps} frames/s`,
    )
    const viewers = await viewerFigures(
      option(args, 'seconds', 10),
      option(args, 'viewers', 10),
      option(args, 'camera-fps', 30),
      log,
    )
    return {
      ...cipher,
      ...viewers,
      targets: { scramble_added_ms_p50: '≤ 2', viewer_fps_10_clients: '≥ 25' },
    }
  },
}
