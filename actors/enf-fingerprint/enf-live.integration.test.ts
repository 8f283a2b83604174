import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { copyFile, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Receipt, verifyReceipt } from '../../ledger/index.ts'
import { type ActorSystem, createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import { fixturePath } from '../../tests/fixtures/index.ts'
import type { IdentityFixtureHost } from '../identity/testing/index.ts'
import { checkpointFromLedgerRecord } from './enf-checkpoint.ts'
import { generateHostSigningKeyFile, type HostSigner } from './host-signing-key.ts'
import {
  ffmpegReading,
  type LiveSpliceAudio,
  liveSpliceAudio,
  resampleWav,
  startPacedAudioSource,
} from './testing/index.ts'
import { writeWav } from './write-wav.ts'

// ffmpeg, workers and 12.5 min of audio at 50× real time on a shared 2-core machine.
setDefaultTimeout(180_000)

const moduleOf = (file: string, exportName: string) => ({
  module: new URL(file, import.meta.url).href,
  export: exportName,
})
const EPOCH_MS = 1_764_000_000_000
const SPEED = 50

let dir: string
let system: ActorSystem
let audio: LiveSpliceAudio
let signer: HostSigner

type Status = { ended: boolean; lastError: string | null; checkpoints: number; streamId: string }
type Alert = {
  startSeconds: number
  endSeconds: number
  audioSeconds: number
  checkpointSeq: number
}

const base64Key = (s: HostSigner) => Buffer.from(s.publicKeyHex, 'hex').toString('base64')

async function writeAudio(name: string, samples: Float64Array): Promise<string> {
  const path = join(dir, 'media', name)
  await writeFile(path, writeWav(samples, { sampleRate: audio.reference.sampleRate }))
  return path
}

async function startCamera(name: string, input: string, extra: object = {}): Promise<Status> {
  await system.spawn(name, moduleOf('./enf-live-actor.ts', 'enfLiveActor'), {
    args: {
      cameraId: name,
      input,
      signingKeyPath: join(dir, 'edge-1.json'),
      readRate: SPEED,
      epochMs: EPOCH_MS,
      referenceActor: 'grid',
      ...extra,
    },
  })
  return waitFor(
    async () => {
      const status = (await system.ask(name, 'enf.live.status', {})) as Status
      return status.ended ? status : null
    },
    { timeoutMs: 150_000, intervalMs: 200, message: `${name} to reach the end of its input` },
  )
}

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'vigil-enf-live-')))
  await Bun.write(join(dir, 'media', '.keep'), '')
  audio = await liveSpliceAudio()
  signer = await generateHostSigningKeyFile(join(dir, 'edge-1.json'))
  const hosts: IdentityFixtureHost[] = [
    { publicKey: base64Key(signer), hostId: 'edge-1', registered: true, zone: 'z1' },
  ]
  system = createActorSystem({ config: { simulateSerialization: true } })
  await system.spawn(
    'identity',
    moduleOf('../identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
    {
      args: { hosts },
    },
  )
  await system.spawn(
    'ledger',
    moduleOf('./testing/memory-ledger-actor-fixture.ts', 'memoryLedgerActorFixture'),
  )
  await system.spawn('enf', moduleOf('./enf-fingerprint-actor.ts', 'enfFingerprintActor'), {
    args: { signingKeyPath: join(dir, 'edge-1.json'), mediaRoot: join(dir, 'media') },
  })
})

afterAll(async () => {
  await system?.shutdown({ deadlineMs: 5_000 })
  await rm(dir, { recursive: true, force: true })
})

describe('live ENF: cameras played at 50× real time against the grid reference', () => {
  let spliced: Status
  let uncut: Status

  beforeAll(async () => {
    const reference = await writeAudio('grid.wav', audio.reference.samples)
    await system.spawn('grid', moduleOf('./grid-reference-actor.ts', 'gridReferenceActor'), {
      args: { input: reference, readRate: SPEED, epochMs: EPOCH_MS },
    })
    const splicedPath = await writeAudio('spliced.wav', audio.spliced.samples)
    const uncutPath = await writeAudio('uncut.wav', audio.uncut.samples)
    ;[spliced, uncut] = await Promise.all([
      startCamera('cam-spliced', splicedPath),
      startCamera('cam-uncut', uncutPath),
    ])
  })

  test('the spliced camera raises alerts within one checkpoint interval of the splice end, located within 5 s', async () => {
    expect(spliced.lastError).toBeNull()
    const { events } = (await system.ask('cam-spliced', 'enf.live.events', { after: 0 })) as {
      events: Alert[]
    }
    const { startSeconds, endSeconds } = audio.splice
    expect(events.length).toBeGreaterThan(0)
    expect(events[0]!.audioSeconds).toBeLessThanOrEqual(endSeconds + 30)
    for (const e of events)
      expect(e.endSeconds > startSeconds && e.startSeconds < endSeconds).toBe(true)
    expect(
      Math.abs(Math.min(...events.map((e) => e.startSeconds)) - startSeconds),
    ).toBeLessThanOrEqual(5)
    expect(Math.abs(Math.max(...events.map((e) => e.endSeconds)) - endSeconds)).toBeLessThanOrEqual(
      5,
    )
  })

  test('the uncut camera raises none over its 12.5 minutes, every checkpoint checked', async () => {
    expect(uncut.lastError).toBeNull()
    const { events } = (await system.ask('cam-uncut', 'enf.live.events', { after: 0 })) as {
      events: Alert[]
    }
    expect(events).toEqual([])
    const { checkpoints } = (await system.ask('cam-uncut', 'enf.live.checkpoints', {})) as {
      checkpoints: { detection: string; endSeconds: number }[]
    }
    expect(checkpoints.at(-1)!.endSeconds).toBeGreaterThan(600)
    expect(checkpoints.filter((c) => c.detection === 'clear').length).toBeGreaterThanOrEqual(
      checkpoints.length - 2,
    )
  })

  test('its checkpoints are on the ledger with receipts that verify, signed by the registered host', async () => {
    for (let seq = 0; seq < uncut.checkpoints; seq++) {
      const receipt = (await system.ask('ledger', 'ledger.get', {
        key: `enfcp:edge-1/${uncut.streamId}/${seq}`,
      })) as Receipt
      expect(verifyReceipt(receipt)).toEqual({ valid: true })
      expect(checkpointFromLedgerRecord(receipt.record).checkpoint.hostPublicKey).toBe(
        signer.publicKeyHex,
      )
    }
  })

  test('enf.verify_stream passes the original recording and names the checkpoints of an edited copy', async () => {
    const original = await system.ask(
      'enf',
      'enf.verify_stream',
      {
        streamId: uncut.streamId,
        candidatePath: 'uncut.wav',
      },
      { timeoutMs: 60_000 },
    )
    expect(original).toMatchObject({
      passed: true,
      verdict: 'authentic',
      signerTrusted: true,
      signerHostId: 'edge-1',
    })
    const edited = Float64Array.from(audio.uncut.samples)
    const fs = audio.uncut.sampleRate
    edited.set(audio.spliced.samples.subarray(300 * fs, 345 * fs), 300 * fs)
    await writeAudio('edited.wav', edited)
    const verdict = (await system.ask(
      'enf',
      'enf.verify_stream',
      {
        streamId: uncut.streamId,
        candidatePath: 'edited.wav',
      },
      { timeoutMs: 60_000 },
    )) as {
      passed: boolean
      verdict: string
      mismatchedCheckpoints: { seq: number }[]
      tamperedSpans: { startSeconds: number; endSeconds: number }[]
    }
    expect(verdict.passed).toBe(false)
    expect(verdict.verdict).toBe('tampered')
    expect(verdict.mismatchedCheckpoints.map((c) => c.seq)).toEqual(
      expect.arrayContaining([10, 11]),
    )
    for (const c of verdict.mismatchedCheckpoints) expect(c.seq >= 9 && c.seq <= 12).toBe(true)
  })

  test('enf.verify_stream of a video without audio is inconclusive, saying so', async () => {
    await copyFile(fixturePath('video/one-by-one-excerpt.mp4'), join(dir, 'media', 'silent.mp4'))
    const verdict = await system.ask(
      'enf',
      'enf.verify_stream',
      {
        streamId: uncut.streamId,
        candidatePath: 'silent.mp4',
      },
      { timeoutMs: 60_000 },
    )
    expect(verdict).toMatchObject({
      passed: false,
      verdict: 'inconclusive',
      reason: expect.stringMatching(/no audio track/),
    })
  })
})

describe('live ENF at real time (a camera over HTTP)', () => {
  const FRAME_SECONDS = 8
  test('commits each checkpoint within 1 s of the wall-clock end of its interval, not before', async () => {
    const fs = audio.uncut.sampleRate
    // An 8 s frame (not 20): the first steps need 8 s of audio instead of 20, and the latency
    // measured (interval end → receipt) does not depend on the frame.
    const clip = await writeAudio('clip-17s.wav', audio.uncut.samples.subarray(0, 17 * fs))
    const source = startPacedAudioSource(await resampleWav(clip, 48_000))
    try {
      await system.spawn('cam-rt', moduleOf('./enf-live-actor.ts', 'enfLiveActor'), {
        args: {
          cameraId: 'cam-rt',
          input: source.url,
          signingKeyPath: join(dir, 'edge-1.json'),
          checkpointSeconds: 5,
          frameSeconds: FRAME_SECONDS,
        },
      })
      type Row = {
        seq: number
        intervalEndSeconds: number
        endSeconds: number
        committedAtMs: number
      }
      const rows = await waitFor(
        async () => {
          const { checkpoints } = (await system.ask('cam-rt', 'enf.live.checkpoints', {})) as {
            checkpoints: Row[]
          }
          return checkpoints.length >= 2 ? checkpoints.slice(0, 2) : null
        },
        { timeoutMs: 90_000, intervalMs: 50, message: 'two checkpoints' },
      )
      // Intervals (5, 10] and (10, 15]: the first step (centred at 4 s) needs 4 s of audio
      // after it (half the frame), + up to 2 s for the median filter and the hop grid.
      expect(rows.map((r) => r.intervalEndSeconds)).toEqual([10, 15])
      for (const row of rows) {
        const latency = row.committedAtMs - source.sentAtMs(row.intervalEndSeconds)!
        expect(latency).toBeGreaterThanOrEqual(0)
        expect(latency).toBeLessThanOrEqual(1000)
        // The last step is centred half a frame + 1–2 s before the interval's end.
        expect(row.intervalEndSeconds - row.endSeconds).toBeLessThanOrEqual(FRAME_SECONDS / 2 + 3)
      }
    } finally {
      await source.stop()
    }
  })
})

describe('live ENF when the camera’s ffmpeg dies mid-stream', () => {
  const DIE_SPEED = 5
  test('restarts the input, marks the gap (no steps across it, the next checkpoint names it) and says so in its status', async () => {
    const fs = audio.uncut.sampleRate
    const clip = await writeAudio('clip-120s.wav', audio.uncut.samples.subarray(0, 120 * fs))
    // The camera at 5× real time (ffmpeg -readrate 5, which also places a restart on the stream
    // clock): the same audio and gaps in a fifth of the wall time; the backoff delays are real ms.
    const source = startPacedAudioSource(await resampleWav(clip, 48_000), { speed: DIE_SPEED })
    type Gap = { fromSeconds: number; toSeconds: number }
    type Row = {
      seq: number
      key: string
      startSeconds: number
      endSeconds: number
      intervalEndSeconds: number
      inputGaps: Gap[]
    }
    const checkpoints = async () =>
      ((await system.ask('cam-die', 'enf.live.checkpoints', {})) as { checkpoints: Row[] })
        .checkpoints
    const status = async () =>
      (await system.ask('cam-die', 'enf.live.status', {})) as {
        input: string
        restarts: number
        gaps: Gap[]
        lastError: string | null
      }
    try {
      await system.spawn('cam-die', moduleOf('./enf-live-actor.ts', 'enfLiveActor'), {
        args: {
          cameraId: 'cam-die',
          input: source.url,
          signingKeyPath: join(dir, 'edge-1.json'),
          checkpointSeconds: 5,
          restartDelayMs: 200,
          readRate: DIE_SPEED,
        },
      })
      await waitFor(async () => ((await checkpoints()).length >= 1 ? true : null), {
        timeoutMs: 90_000,
        intervalMs: 100,
        message: 'the first checkpoint',
      })
      const pid = await waitFor(() => ffmpegReading(source.url), {
        timeoutMs: 10_000,
        intervalMs: 50,
        message: 'the camera’s ffmpeg process',
      })
      process.kill(pid, 'SIGKILL')
      const restarted = await waitFor(
        async () => {
          const s = await status()
          return s.restarts >= 1 && s.input === 'running' && s.gaps.length === 1 ? s : null
        },
        { timeoutMs: 30_000, intervalMs: 50, message: 'the input to be restarted' },
      )
      expect(restarted.lastError).toMatch(
        /^ENF_INPUT_LOST: ffmpeg stopped after .* s of audio.*; restarting in 0\.2 s$/,
      )
      expect(source.connections).toBe(2)
      const gap = restarted.gaps[0]!
      expect(gap.toSeconds).toBeGreaterThan(gap.fromSeconds)
      const rows = await waitFor(
        async () => {
          const all = await checkpoints()
          return all.some((c) => c.inputGaps.length) ? all : null
        },
        { timeoutMs: 60_000, intervalMs: 100, message: 'a checkpoint after the gap' },
      )
      const after = rows.find((c) => c.inputGaps.length)!
      expect(after.inputGaps).toEqual([gap])
      // The checkpoint before the gap was cut where the audio stopped.
      const before = rows[after.seq - 1]!
      expect(before.intervalEndSeconds).toBeLessThanOrEqual(gap.fromSeconds + 1e-9)
      expect(before.intervalEndSeconds).toBeGreaterThan(gap.fromSeconds - 5)
      // No step's 20 s frame reaches into the gap: nothing is invented across it.
      for (const c of rows) {
        expect(c.endSeconds + 10 <= gap.fromSeconds || c.startSeconds - 10 >= gap.toSeconds).toBe(
          true,
        )
      }
      expect(after.startSeconds).toBe(gap.toSeconds + 10)
      // The gap is part of the signed checkpoint on the ledger.
      const receipt = (await system.ask('ledger', 'ledger.get', { key: after.key })) as Receipt
      expect(checkpointFromLedgerRecord(receipt.record).checkpoint.inputGaps).toEqual([
        { fromMs: Math.round(gap.fromSeconds * 1000), toMs: gap.toSeconds * 1000 },
      ])
      // The source itself drops the connection (the stream ends early): restarted too, backing off.
      source.dropConnections()
      const again = await waitFor(
        async () => {
          const s = await status()
          return s.restarts >= 2 && s.input === 'running' && s.gaps.length === 2 ? s : null
        },
        { timeoutMs: 30_000, intervalMs: 50, message: 'the input to be restarted again' },
      )
      // A connection that had run ≥ 10 s starts the backoff afresh.
      expect(again.lastError).toBe('the input ended unexpectedly; restarting in 0.2 s')
      expect(again.gaps[1]!.fromSeconds).toBeGreaterThan(gap.toSeconds)
      // The camera goes away: each failed attempt waits twice as long as the one before.
      await source.stop()
      const down = await waitFor(
        async () => {
          const s = await status()
          return s.restarts >= 4 ? s : null
        },
        { timeoutMs: 30_000, intervalMs: 50, message: 'failed restarts' },
      )
      expect(down.input).toBe('restarting')
      expect(down.lastError).toMatch(/^ENF_DECODE_FAILED: .*; restarting in (0\.8|1\.6) s$/)
    } finally {
      await system.stop('cam-die').catch(() => undefined)
      await source.stop()
    }
  })
})

describe('live ENF when a file input’s ffmpeg dies', () => {
  test('ends the stream saying why, with every step it had extracted committed', async () => {
    const fs = audio.uncut.sampleRate
    const clip = await writeAudio('clip-dies.wav', audio.uncut.samples.subarray(0, 300 * fs))
    type Row = { startSeconds: number; endSeconds: number }
    type Status = { ended: boolean; input: string; lastError: string | null; steps: number }
    const committedSteps = async () =>
      (
        (await system.ask('cam-file', 'enf.live.checkpoints', {})) as { checkpoints: Row[] }
      ).checkpoints.reduce((sum, c) => sum + c.endSeconds - c.startSeconds + 1, 0)
    const status = async () => (await system.ask('cam-file', 'enf.live.status', {})) as Status
    await system.spawn('cam-file', moduleOf('./enf-live-actor.ts', 'enfLiveActor'), {
      args: {
        cameraId: 'cam-file',
        input: clip,
        signingKeyPath: join(dir, 'edge-1.json'),
        readRate: 5,
      },
    })
    try {
      // Steps extracted beyond the last checkpoint: a partial interval is pending.
      await waitFor(async () => ((await status()).steps > (await committedSteps()) ? true : null), {
        timeoutMs: 60_000,
        intervalMs: 50,
        message: 'steps after a checkpoint',
      })
      const pid = await waitFor(() => ffmpegReading(clip), {
        timeoutMs: 10_000,
        intervalMs: 50,
        message: 'the file’s ffmpeg process',
      })
      process.kill(pid, 'SIGKILL')
      const ended = await waitFor(async () => ((await status()).ended ? status() : null), {
        timeoutMs: 30_000,
        intervalMs: 50,
        message: 'the stream to end',
      })
      expect(ended.input).toBe('ended')
      expect(ended.lastError).toMatch(/ffmpeg stopped after .* s of audio/)
      await waitFor(async () => ((await committedSteps()) === ended.steps ? true : null), {
        timeoutMs: 10_000,
        intervalMs: 50,
        message: 'every step committed',
      })
    } finally {
      await system.stop('cam-file').catch(() => undefined)
    }
  })
})
