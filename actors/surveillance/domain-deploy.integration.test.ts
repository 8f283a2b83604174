/**
 * End-to-end: the surveillance pipeline deployed onto a running domain.
 * A fog host and an edge host (label camera: cam-1) run as separate
 * processes on loopback with nothing deployed; `vigil surveil run --domain`
 * deploys the pipeline through the admin route; the placement starts the
 * camera chain on the edge host and the decision on fog; a generated video
 * (a person walking into a restricted zone), played at real time, raises an
 * intrusion alert that arrives on the fog gateway's SSE stream.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ActorPlacement, type Domain, runCommand, startDomain } from '../../runtime/index.ts'
import { readEvents, waitFor } from '../../runtime/testing/index.ts'
import { vigil } from '../../scripts/vigil.ts'
import { surveillanceActorNames, surveillanceDeployables } from './surveillance-placement.ts'
import { renderScene, walker } from './testing/index.ts'

setDefaultTimeout(90_000)

const size = { width: 384, height: 216 }
let dir = ''
let domain: Domain
let video = ''
let zonesFile = ''

/** Encodes the frames losslessly (FFV1 in Matroska) at 10 frames/s with Debian's ffmpeg. */
async function writeVideo(file: string, frames: Iterable<{ pixels: Uint8Array }>) {
  const ffmpeg = Bun.spawn(
    [
      'ffmpeg',
      ...['-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'gray'],
      ...['-s', `${size.width}x${size.height}`, '-r', '10', '-i', '-', '-c:v', 'ffv1', file],
    ],
    { stdin: 'pipe', stderr: 'pipe' },
  )
  for (const frame of frames) ffmpeg.stdin.write(frame.pixels)
  await ffmpeg.stdin.end()
  if ((await ffmpeg.exited) !== 0) throw new Error(await new Response(ffmpeg.stderr).text())
}

const gateway = (hostId: string) => domain.hosts.get(hostId)?.run.http ?? ''

function deploy(hostId: string, headers: Record<string, string>, actors: unknown[]) {
  return fetch(`${gateway(hostId)}/v1/admin/deploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ actors }),
  })
}

async function placement(hostId: string): Promise<Record<string, ActorPlacement>> {
  const response = await fetch(`${gateway(hostId)}/v1/admin/placement`, {
    headers: { authorization: `Bearer ${domain.files.adminToken}` },
  })
  return ((await response.json()) as { placement: Record<string, ActorPlacement> }).placement
}

/** The first server-sent event's data. */
async function firstEvent(response: Response): Promise<Record<string, unknown>> {
  const [event] = await readEvents(response, 1)
  if (!event) throw new Error('stream ended before an event')
  return event.data as Record<string, unknown>
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'surveil-deploy-'))
  video = join(dir, 'walk-in.mkv')
  // One person walks left to right at 3 px/frame, feet at y = 170, through the restricted zone.
  await writeVideo(
    video,
    renderScene({ ...size, frames: 120, fps: 10, actors: [walker(1, 5, 20, 150, 3, 0)] }),
  )
  zonesFile = join(dir, 'zones.json')
  const polygon = [
    [200, 120],
    [300, 120],
    [300, 216],
    [200, 216],
  ]
  await Bun.write(
    zonesFile,
    JSON.stringify({ zones: [{ name: 'vault', restricted: true, polygon }] }),
  )
  domain = await startDomain({
    dir: join(dir, 'domain'),
    hosts: [
      { id: 'fog-1', role: 'fog' },
      { id: 'edge-1', role: 'edge', labels: { camera: 'cam-1' } },
    ],
    actors: [],
    hostConfig: {
      deployable: surveillanceDeployables(),
      heartbeatIntervalMs: 200,
      gateway: { eventPollMs: 50 },
    },
  })
})

afterAll(async () => {
  await domain?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('vigil surveil run --domain: the pipeline deployed onto a running domain', () => {
  const names = surveillanceActorNames('cam-1')
  const camera = {
    name: names.camera,
    module: 'surveillance/camera',
    args: { cameraId: 'x', input: '/dev/null' },
  }

  test('a deploy without the admin token, or with a wrong one, is refused and deploys nothing', async () => {
    expect((await deploy('fog-1', {}, [camera])).status).toBe(401)
    expect(
      (await deploy('edge-1', { authorization: 'Bearer not-the-token' }, [camera])).status,
    ).toBe(401)
    expect(Object.keys(await placement('fog-1'))).toEqual([])
  })

  test('a deploy naming a module path instead of a deployable key is refused before anything loads', async () => {
    const auth = { authorization: `Bearer ${domain.files.adminToken}` }
    const path = { ...camera, module: surveillanceDeployables()['surveillance/camera'] }
    const response = await deploy('fog-1', auth, [path])
    expect(response.status).toBe(403)
    expect(((await response.json()) as { code: string }).code).toBe('DEPLOY_MODULE_NOT_ALLOWED')
    expect(Object.keys(await placement('edge-1'))).toEqual([])
  })

  test('places the camera chain on the edge host and the decision on fog, and an intrusion alert arrives on the SSE stream', async () => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCommand(
      vigil,
      [
        ...['surveil', 'run', '--camera', video, '--zones', zonesFile, '--id', 'cam-1'],
        ...['--frames', '120', '--domain', gateway('fog-1')],
        ...['--token-file', domain.files.adminTokenFile, '--json'],
      ],
      { out: (t) => out.push(t), err: (t) => err.push(t) },
    )
    expect(err).toEqual([])
    expect(code).toBe(0)
    const result = JSON.parse(out.at(-1) ?? '{}') as {
      hosts: { hostId: string; added: string[] }[]
    }
    expect(result.hosts.map((h) => h.hostId).sort()).toEqual(['edge-1', 'fog-1'])
    for (const host of result.hosts) expect(host.added).toHaveLength(5)
    const stream = await fetch(`${gateway('fog-1')}/v1/events/surveil-decision/decision.events`)
    expect(stream.status).toBe(200)
    const placed = await waitFor(async () => {
      const p = await placement('edge-1')
      return p[names.camera]?.hosts.length ? p : undefined
    })
    for (const actor of Object.values(names)) expect(placed[actor]?.hosts).toEqual(['edge-1'])
    expect(placed['surveil-decision']?.hosts).toEqual(['fog-1'])
    const alert = await firstEvent(stream)
    const raisedToSubscriberMs = Date.now() - (alert.atMs as number)
    expect(alert).toMatchObject({ kind: 'intrusion', zone: 'vault', cameraId: 'cam-1' })
    // Frame decoded on edge-1 → its feature at the decision on fog-1 (one RPC hop between processes).
    const reply = await fetch(`${gateway('edge-1')}/v1/actors/surveil-decision/decision.alerts`, {
      method: 'POST',
      body: '{}',
    })
    const { frameToFeatureP50Ms } = (await reply.json()) as { frameToFeatureP50Ms: number }
    expect(frameToFeatureP50Ms).toBeGreaterThanOrEqual(0)
    console.log('domain pipeline', JSON.stringify({ frameToFeatureP50Ms, raisedToSubscriberMs }))
  })

  test('deploying the same pipeline again changes nothing', async () => {
    const out: string[] = []
    const code = await runCommand(
      vigil,
      [
        ...['surveil', 'run', '--camera', video, '--zones', zonesFile, '--id', 'cam-1'],
        ...['--frames', '120', '--domain', gateway('edge-1')],
        ...['--token-file', domain.files.adminTokenFile, '--json'],
      ],
      { out: (t) => out.push(t), err: () => {} },
    )
    expect(code).toBe(0)
    const result = JSON.parse(out.at(-1) ?? '{}') as { hosts: { added: string[] }[] }
    expect(result.hosts.flatMap((h) => h.added)).toEqual([])
  })
})
