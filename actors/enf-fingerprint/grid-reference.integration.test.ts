import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ActorSystem, createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import type { IdentityFixtureHost } from '../identity/testing/index.ts'
import type { ReferenceSeries } from './detect-checkpoint-tamper.ts'
import { generateHostSigningKeyFile } from './host-signing-key.ts'
import {
  ffmpegReading,
  liveSpliceAudio,
  type PacedAudioSource,
  resampleWav,
  startPacedAudioSource,
} from './testing/index.ts'
import { writeWav } from './write-wav.ts'

// ffmpeg, workers and a few minutes of audio at 10× real time on a shared 2-core machine.
setDefaultTimeout(180_000)

const SPEED = 10
const moduleOf = (file: string, exportName: string) => ({
  module: new URL(file, import.meta.url).href,
  export: exportName,
})

type Gap = { fromMs: number; toMs: number }
type GridStatus = {
  input: string
  restarts: number
  gaps: Gap[]
  lastError: string | null
  coveredUntilMs: number | null
  firstMs: number | null
}
type Checkpoint = {
  startSeconds: number
  endSeconds: number
  detection: string
  detectionReason: string
}

let dir: string
let system: ActorSystem
let source: PacedAudioSource

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'vigil-enf-grid-')))
  const audio = await liveSpliceAudio()
  const fs = audio.reference.sampleRate
  const write = async (name: string, samples: Float64Array) => {
    const path = join(dir, name)
    await writeFile(path, writeWav(samples, { sampleRate: fs }))
    return path
  }
  const grid = await write('grid.wav', audio.reference.samples.subarray(0, 300 * fs))
  // 48 kHz: ffmpeg reads a 400 Hz WAV in 5 s packets, which would blur where the restart lands.
  source = startPacedAudioSource(await resampleWav(grid, 48_000), { speed: SPEED })
  const camera = await write('camera.wav', audio.uncut.samples.subarray(0, 300 * fs))
  const signer = await generateHostSigningKeyFile(join(dir, 'edge-1.json'))
  const hosts: IdentityFixtureHost[] = [
    {
      publicKey: Buffer.from(signer.publicKeyHex, 'hex').toString('base64'),
      hostId: 'edge-1',
      registered: true,
      zone: 'z1',
    },
  ]
  system = createActorSystem({ config: { simulateSerialization: true } })
  await system.spawn(
    'identity',
    moduleOf('../identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
    { args: { hosts } },
  )
  await system.spawn(
    'ledger',
    moduleOf('./testing/memory-ledger-actor-fixture.ts', 'memoryLedgerActorFixture'),
  )
  // Both on their own first sample's wall clock, started together: the same audio instant
  // gets the same time on both within a fraction of a second (the lag search takes the rest).
  await Promise.all([
    system.spawn('grid', moduleOf('./grid-reference-actor.ts', 'gridReferenceActor'), {
      args: { input: source.url, readRate: SPEED, restartDelayMs: 200 },
    }),
    system.spawn('cam', moduleOf('./enf-live-actor.ts', 'enfLiveActor'), {
      args: {
        cameraId: 'cam',
        input: camera,
        signingKeyPath: join(dir, 'edge-1.json'),
        readRate: SPEED,
        checkpointSeconds: 10,
        referenceActor: 'grid',
      },
    }),
  ])
})

afterAll(async () => {
  await system?.shutdown({ deadlineMs: 5_000 })
  await source?.stop()
  await rm(dir, { recursive: true, force: true })
})

const gridStatus = async () => (await system.ask('grid', 'enfref.status', {})) as GridStatus

describe('the grid reference when its ffmpeg dies mid-stream', () => {
  let gap: Gap
  let firstMs: number

  test('restarts the input with backoff and names the time without audio in its status', async () => {
    const started = await waitFor(
      async () => {
        const s = await gridStatus()
        return s.coveredUntilMs !== null && s.coveredUntilMs - s.firstMs! >= 60_000 ? s : null
      },
      { timeoutMs: 60_000, intervalMs: 50, message: 'a minute of reference ENF' },
    )
    firstMs = started.firstMs!
    const pid = await waitFor(() => ffmpegReading(source.url), {
      timeoutMs: 10_000,
      intervalMs: 50,
      message: 'the reference’s ffmpeg process',
    })
    process.kill(pid, 'SIGKILL')
    const restarted = await waitFor(
      async () => {
        const s = await gridStatus()
        return s.restarts >= 1 && s.input === 'running' && s.gaps.length === 1 ? s : null
      },
      { timeoutMs: 30_000, intervalMs: 20, message: 'the reference input to be restarted' },
    )
    expect(restarted.lastError).toMatch(
      /^ENF_INPUT_LOST: ffmpeg stopped after .* s of audio.*; restarting in 0\.2 s$/,
    )
    expect(source.connections).toBe(2)
    gap = restarted.gaps[0]!
    expect(gap.toMs).toBeGreaterThan(gap.fromMs)
  })

  test('a series across the gap names it, with no valid step whose frame reaches into it', async () => {
    await waitFor(
      async () => ((await gridStatus()).coveredUntilMs! >= gap.toMs + 30_000 ? true : null),
      { timeoutMs: 60_000, intervalMs: 50, message: 'reference ENF after the gap' },
    )
    const { series } = (await system.ask('grid', 'enfref.series', {
      fromMs: gap.fromMs - 40_000,
      toMs: gap.toMs + 30_000,
    })) as { series: ReferenceSeries }
    expect(series.gaps).toHaveLength(1)
    const noData = series.gaps![0]!
    // The steps missing: from the last frame that ended before the loss to the first after it.
    expect(noData.fromMs).toBeLessThanOrEqual(gap.fromMs - 10_000)
    expect(noData.toMs).toBeGreaterThanOrEqual(gap.toMs + 9_000)
    series.frequencyHz.forEach((_, i) => {
      const atMs = series.startMs + i * series.hopMs
      const inGap = atMs >= noData.fromMs && atMs <= noData.toMs
      if (inGap) expect(series.valid[i]).toBe(false)
      if (series.valid[i])
        expect(atMs + 10_000 <= gap.fromMs || atMs - 10_000 >= gap.toMs).toBe(true)
    })
    expect(series.valid.filter(Boolean).length).toBeGreaterThan(40)
  })

  test('the camera’s checkpoints over the gap are inconclusive saying why, and no alert is raised', async () => {
    const gapEndSeconds = (gap.toMs - firstMs) / 1000
    const rows = await waitFor(
      async () => {
        const { checkpoints } = (await system.ask('cam', 'enf.live.checkpoints', {})) as {
          checkpoints: Checkpoint[]
        }
        const checked = checkpoints.filter((c) => c.detectionReason !== 'not checked yet')
        return checked.at(-1) && checked.at(-1)!.endSeconds >= gapEndSeconds + 50 ? checked : null
      },
      { timeoutMs: 90_000, intervalMs: 100, message: 'checked checkpoints after the gap' },
    )
    const { events } = (await system.ask('cam', 'enf.live.events', { after: 0 })) as {
      events: unknown[]
    }
    expect(events).toEqual([])
    const inconclusive = rows.filter((c) => c.detection === 'inconclusive')
    expect(inconclusive.length).toBeGreaterThan(0)
    for (const c of inconclusive) {
      expect(c.detectionReason).toMatch(
        /^the grid reference has no data for .* \(its input was lost\)/,
      )
    }
    // Before the gap and once the reference has data again, checkpoints are decided.
    expect(rows.filter((c) => c.detection === 'clear').length).toBeGreaterThan(0)
    expect(rows.at(-1)!.detection).toBe('clear')
    expect(rows.every((c) => c.detection !== 'tampered')).toBe(true)
  })
})
