import { beforeAll, describe, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { verifyReceipt } from '../../ledger/index.ts'
import { loadFftCoreSync } from '../../wasm/index.ts'
import {
  canonicalCheckpointBytes,
  checkpointFromLedgerRecord,
  checkpointsTrack,
} from './enf-checkpoint.ts'
import {
  generateHostSigningKeyFile,
  type HostSigner,
  verifyHostSignature,
} from './host-signing-key.ts'
import { createLiveEnfExtractor } from './live-enf-extractor.ts'
import { createLiveEnfSession, type LiveEnfSession } from './live-enf-session.ts'
import type { MonoAudio } from './read-wav.ts'
import { createReferenceSeriesStore } from './reference-series-store.ts'
import {
  createMemoryLedger,
  type LiveSpliceAudio,
  liveSpliceAudio,
  type MemoryLedger,
} from './testing/index.ts'

const core = loadFftCoreSync()
const EPOCH_MS = 1_764_000_000_000
const CHUNK = 400 // 1 s of 400 Hz PCM per push, as a live pipe would deliver it

let audio: LiveSpliceAudio
let signer: HostSigner
const reference = createReferenceSeriesStore({ epochMs: EPOCH_MS, hopSeconds: 1 })

beforeAll(async () => {
  audio = await liveSpliceAudio()
  const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-live-'))
  signer = await generateHostSigningKeyFile(join(dir, 'edge.json'))
  await rm(dir, { recursive: true, force: true })
  const grid = createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core })
  for (let at = 0; at < audio.reference.samples.length; at += CHUNK)
    reference.append(grid.push(audio.reference.samples.subarray(at, at + CHUNK)))
})

/** Plays a recording through a session chunk by chunk, as fast as it goes. */
async function play(
  recording: MonoAudio,
  ledger: MemoryLedger,
  chunk = CHUNK,
): Promise<LiveEnfSession> {
  const session = createLiveEnfSession(
    {
      extractor: createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core }),
      signer,
      hostId: 'edge-1',
      ledger,
      reference: { series: async (from, to) => reference.series(from, to) },
      now: () => 0,
    },
    { cameraId: 'cam-1', streamId: 'cam-1.s1', epochMs: EPOCH_MS },
  )
  for (let at = 0; at < recording.samples.length; at += chunk)
    session.push(recording.samples.subarray(at, at + chunk))
  await session.idle()
  return session
}

describe('a live ENF session', () => {
  test('cuts each checkpoint when its interval’s last sample arrives, holding the steps that audio completed', async () => {
    const session = await play(audio.uncut, createMemoryLedger())
    let next = session.checkpoints[0]!.startSeconds
    for (const [k, c] of session.checkpoints.entries()) {
      expect(c.intervalStartSeconds).toBe(30 * k)
      expect(c.intervalEndSeconds).toBe(30 * (k + 1))
      // No audio after the interval's end was needed …
      expect(c.audioSeconds).toBe(c.intervalEndSeconds)
      // … the last step is centred half a 20 s frame + the median and interpolation before it …
      expect(c.intervalEndSeconds - c.endSeconds).toBeGreaterThanOrEqual(10)
      expect(c.intervalEndSeconds - c.endSeconds).toBeLessThanOrEqual(13)
      // … and the checkpoints follow one another step by step.
      expect(c.startSeconds).toBe(next)
      next = c.endSeconds + 1
    }
  })

  test('after an input gap resumes on the stream clock: no steps across the gap, the next checkpoint names it, no false alarm', async () => {
    const session = createLiveEnfSession(
      {
        extractor: createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core }),
        signer,
        hostId: 'edge-1',
        ledger: createMemoryLedger(),
        reference: { series: async (from, to) => reference.series(from, to) },
        now: () => 0,
      },
      { cameraId: 'cam-1', streamId: 'cam-1.gap', epochMs: EPOCH_MS },
    )
    const fs = audio.uncut.sampleRate
    const feed = (from: number, to: number) => {
      for (let at = from * fs; at < to * fs; at += CHUNK)
        session.push(audio.uncut.samples.subarray(at, Math.min(at + CHUNK, to * fs)))
    }
    feed(0, 212)
    session.interrupt()
    // Audio arriving while interrupted (a stale chunk) is ignored.
    session.push(audio.uncut.samples.subarray(212 * fs, 213 * fs))
    session.resume(createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core }), 250)
    expect(session.audioSeconds).toBe(250)
    feed(250, 700)
    await session.idle()
    const cps = session.checkpoints
    const before = cps.filter((c) => c.intervalEndSeconds <= 212)
    const after = cps.filter((c) => c.intervalStartSeconds >= 250)
    expect(before.length + after.length).toBe(cps.length)
    expect(before.at(-1)!.intervalEndSeconds).toBe(212)
    expect(before.at(-1)!.endSeconds).toBeLessThanOrEqual(212 - 10)
    expect(after[0]!.startSeconds).toBe(260)
    expect(after[0]!.inputGaps).toEqual([{ fromSeconds: 212, toSeconds: 250 }])
    expect(after.slice(1).every((c) => c.inputGaps.length === 0)).toBe(true)
    const signed = checkpointFromLedgerRecord(after[0]!.receipt.record).checkpoint
    expect(signed.inputGaps).toEqual([{ fromMs: 212_000, toMs: 250_000 }])
    // The steps after the gap sit on the stream clock: they match the reference, checked again.
    expect(session.alerts).toEqual([])
    expect(after.filter((c) => c.detection === 'clear').length).toBeGreaterThan(8)
    expect(() =>
      session.resume(createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core }), 100),
    ).toThrow(/whole second at or after/)
  })

  test('gives the same checkpoints whatever the chunk sizes', async () => {
    const whole = await play(audio.uncut, createMemoryLedger(), audio.uncut.samples.length)
    const odd = await play(audio.uncut, createMemoryLedger(), 997)
    const shape = (s: LiveEnfSession) =>
      s.checkpoints.map((c) => [c.startSeconds, c.endSeconds, c.receipt.leafHash])
    expect(shape(odd)).toEqual(shape(whole))
    expect(whole.checkpoints.length).toBeGreaterThan(20)
  })

  test('raises an alert for a splice within one checkpoint interval of its end, located within 5 s', async () => {
    const session = await play(audio.spliced, createMemoryLedger())
    const { startSeconds, endSeconds } = audio.splice
    expect(session.alerts.length).toBeGreaterThan(0)
    const first = session.alerts[0]!
    expect(first.audioSeconds).toBeLessThanOrEqual(endSeconds + 30)
    // Every alert overlaps the splice; together they locate it.
    for (const alert of session.alerts) {
      expect(alert.endSeconds).toBeGreaterThan(startSeconds)
      expect(alert.startSeconds).toBeLessThan(endSeconds)
    }
    const located = {
      start: Math.min(...session.alerts.map((a) => a.startSeconds)),
      end: Math.max(...session.alerts.map((a) => a.endSeconds)),
    }
    expect(Math.abs(located.start - startSeconds)).toBeLessThanOrEqual(5)
    expect(Math.abs(located.end - endSeconds)).toBeLessThanOrEqual(5)
  })

  test('raises no alert over the uncut recording (12 min) and commits one checkpoint per 30 s', async () => {
    const ledger = createMemoryLedger()
    const session = await play(audio.uncut, ledger)
    expect(session.alerts).toEqual([])
    const seconds = audio.uncut.samples.length / audio.uncut.sampleRate
    expect(seconds).toBeGreaterThan(600)
    expect(session.checkpoints.length).toBe(Math.floor(seconds / 30))
    expect(session.checkpoints.filter((c) => c.detection === 'clear').length).toBeGreaterThan(20)
    expect(ledger.records.size).toBe(session.checkpoints.length)
  })

  test('commits checkpoints whose receipts verify, signed by the host, chained, decoding to the ENF', async () => {
    const ledger = createMemoryLedger()
    const session = await play(audio.uncut, ledger)
    let previous: string | null = null
    const decoded = []
    for (const kept of session.checkpoints) {
      expect(verifyReceipt(kept.receipt)).toEqual({ valid: true })
      const { checkpoint, signature } = checkpointFromLedgerRecord(kept.receipt.record)
      expect(
        verifyHostSignature(
          checkpoint.hostPublicKey,
          canonicalCheckpointBytes(checkpoint),
          signature,
        ),
      ).toBe(true)
      expect(checkpoint.hostPublicKey).toBe(signer.publicKeyHex)
      expect(checkpoint.previous).toBe(previous)
      previous = Bun.SHA256.hash(canonicalCheckpointBytes(checkpoint), 'hex') as string
      decoded.push(checkpoint)
    }
    const track = checkpointsTrack(decoded)
    const batch = createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core })
    const steps = batch.push(audio.uncut.samples)
    let largest = 0
    for (let i = 0; i < track.frequency.length; i++)
      largest = Math.max(largest, Math.abs(track.frequency[i]! - steps[i]!.frequencyHz))
    expect(largest).toBeLessThanOrEqual(0.00005 + 1e-12)
  })
})
