/**
 * The live-ENF figures of `bun run bench enf` (docs/enf.md, Live):
 *
 * - live_cpu_pct_per_camera: CPU of one camera's live ENF in this process
 *   (incremental extraction, checkpoint encoding and signing, commits to an
 *   in-memory ledger, detection against an in-memory reference), as % of one
 *   core at real time. The camera's audio (ENF-WHU 011 with 20 dB noise,
 *   400 Hz WAV) is played by ffmpeg at `speed`× real time into a session for
 *   `seconds` of wall clock; process.cpuUsage() over that time ÷ the audio
 *   seconds it delivered. ffmpeg's own CPU (decode and resample, a child
 *   process) is measured from its resource usage and reported apart.
 * - checkpoint_interval_end_to_receipt_ms_p50 / _p99 (= checkpoint_commit_p50_ms /
 *   _p99_ms, the issue's "end of interval → committed receipt"): a camera at real time, a
 *   WAV at 48 kHz served over HTTP by a paced source (testing/paced-audio-source.ts) that
 *   knows when it sent each instant of audio, read by ffmpeg in the enf-live actor (a
 *   worker) with 5 s checkpoints, committed to a real CometBFT localnet (one validator,
 *   default timeouts) through the CometBFT ledger actor: the wall clock of the committed
 *   receipt − the wall clock at which the source sent the audio at the checkpoint's
 *   interval end. It includes ffmpeg's input buffering and decoding, the pipe, the
 *   extraction, signing and the commit. checkpoint_cut_to_receipt_ms_p50 / _p99: from
 *   the cut (the interval end's audio reached the session) to the receipt.
 *   checkpoint_last_step_age_s: the interval end − the centre of the checkpoint's last
 *   step (half a frame + the median and interpolation, ≈ 11–12 s for 20 s frames).
 * - live_splice_detected / live_splice_located_5s / live_false_alarms_per_checkpoint at 20, 15,
 *   10 dB: the 8 fixture references through a session fed PCM directly, one 45 s splice each
 *   (300–345 s, the next reference's audio) and an untouched control (liveSpliceSuite).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MonoAudio } from '../../actors/enf-fingerprint/index.ts'
import {
  createLiveEnfExtractor,
  createLiveEnfSession,
  createReferenceSeriesStore,
  generateHostSigningKeyFile,
  readLiveAudio,
} from '../../actors/enf-fingerprint/index.ts'
import {
  addNoise,
  createMemoryLedger,
  liveSpliceAudio,
  loadEnfFixture,
  resampleWav,
  startPacedAudioSource,
  WHU_FIXTURE_REFERENCES,
  whuReference,
  writeWav,
} from '../../actors/enf-fingerprint/testing/index.ts'
import { startLocalnet } from '../../ledger/index.ts'
import { createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import type { FftCore } from '../../wasm/index.ts'
import { loadFftCore } from '../../wasm/index.ts'
import { percentile, round } from '../harness/stats.ts'

const moduleOf = (path: string, name: string) => ({
  module: new URL(path, import.meta.url).href,
  export: name,
})

type Log = (line: string) => void

export type LiveFigures = Record<string, number | null> & {
  live_cpu_pct_per_camera: number
  live_ffmpeg_cpu_pct_per_camera: number | null
  live_audio_seconds_measured: number
  checkpoint_commit_p50_ms: number | null
  checkpoint_commit_p99_ms: number | null
  checkpoint_interval_end_to_receipt_ms_p50: number | null
  checkpoint_interval_end_to_receipt_ms_p99: number | null
  checkpoint_cut_to_receipt_ms_p50: number | null
  checkpoint_cut_to_receipt_ms_p99: number | null
  checkpoint_commits_measured: number
  checkpoint_last_step_age_s: number | null
}

async function cameraFiles(dir: string) {
  const audio = await liveSpliceAudio()
  const camera = join(dir, 'camera.wav')
  await writeFile(camera, writeWav(audio.uncut.samples, { sampleRate: audio.uncut.sampleRate }))
  return { audio, camera }
}

/** CPU of one live camera in this process, % of a core at real time. */
async function liveCpu(dir: string, options: { speed: number; seconds: number }, log: Log) {
  const core = await loadFftCore()
  const { audio, camera } = await cameraFiles(dir)
  const signer = await generateHostSigningKeyFile(join(dir, 'bench-cpu.json'))
  // The grid reference, extracted beforehand (the reference actor's cost is not the camera's).
  const reference = createReferenceSeriesStore({ epochMs: 0, hopSeconds: 1 })
  const grid = createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core })
  reference.append(grid.push(audio.reference.samples))
  const extractor = createLiveEnfExtractor({ nominal: 50, sampleRate: 1000, core })
  const session = createLiveEnfSession(
    {
      extractor,
      signer,
      hostId: 'edge-1',
      ledger: createMemoryLedger(),
      reference: { series: async (from, to) => reference.series(from, to) },
      now: () => Date.now(),
    },
    { cameraId: 'bench', streamId: 'bench.cpu', epochMs: 0 },
  )
  const abort = new AbortController()
  let child: { exited: Promise<number>; resourceUsage(): unknown } | undefined
  const stop = setTimeout(() => abort.abort('measured'), options.seconds * 1000)
  const before = process.cpuUsage()
  const started = performance.now()
  for await (const chunk of readLiveAudio(camera, {
    sampleRate: 1000,
    readRate: options.speed,
    signal: abort.signal,
    onSpawn: (c) => {
      child = c
    },
  })) {
    session.push(chunk)
  }
  await session.idle()
  const used = process.cpuUsage(before)
  const wallS = (performance.now() - started) / 1000
  clearTimeout(stop)
  const audioS = extractor.pushedSeconds
  const cpuPct = ((used.user + used.system) / 1e6 / audioS) * 100
  await child?.exited
  // Bun reports the child's CPU time in µs (a bigint).
  const usage = child?.resourceUsage() as { cpuTime?: { total?: number | bigint } } | undefined
  const ffmpegS = usage?.cpuTime?.total !== undefined ? Number(usage.cpuTime.total) / 1e6 : null
  log(
    `live CPU: ${audioS.toFixed(0)} s of audio in ${wallS.toFixed(1)} s (${options.speed}× real time), this process ${((used.user + used.system) / 1e3).toFixed(0)} ms CPU → ${cpuPct.toFixed(3)} % of a core per camera at real time (target ≤ 2); ffmpeg ${ffmpegS === null ? 'n/a' : `${((ffmpegS / audioS) * 100).toFixed(3)} %`}; ${session.checkpoints.length} checkpoints, ${session.alerts.length} alerts`,
  )
  return {
    cpuPct,
    ffmpegPct: ffmpegS === null ? null : (ffmpegS / audioS) * 100,
    audioS,
  }
}

type CheckpointRow = {
  commitMs: number
  committedAtMs: number
  intervalEndSeconds: number
  endSeconds: number
}

/** Interval end (wall clock at the source) → receipt on a real localnet, through the enf-live actor at real time. */
async function commitLatency(dir: string, options: { checkpoints: number }, log: Log) {
  const { camera } = await cameraFiles(dir)
  const source = startPacedAudioSource(await resampleWav(camera, 48_000))
  const keyPath = join(dir, 'bench-commit.json')
  const signer = await generateHostSigningKeyFile(keyPath)
  const net = await startLocalnet({ validators: 1 })
  const system = createActorSystem({
    config: { simulateSerialization: true },
    actorCaller: (actor) => ({ id: 'host:edge-1', claims: { actor } }),
  })
  try {
    const publicKey = Buffer.from(signer.publicKeyHex, 'hex').toString('base64')
    await system.spawn(
      'identity',
      moduleOf('../../actors/identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
      {
        args: { hosts: [{ publicKey, hostId: 'edge-1', registered: true, zone: 'z1' }] },
      },
    )
    await system.spawn(
      'ledger',
      moduleOf('../../ledger/cometbft/cometbft-ledger-actor.ts', 'cometbftLedgerActor'),
      {
        args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0], flushIntervalMs: 5 },
      },
    )
    await system.spawn(
      'cam',
      moduleOf('../../actors/enf-fingerprint/enf-live-actor.ts', 'enfLiveActor'),
      {
        args: { cameraId: 'cam', input: source.url, signingKeyPath: keyPath, checkpointSeconds: 5 },
      },
    )
    const rows = await waitFor(
      async () => {
        const reply = (await system.ask('cam', 'enf.live.checkpoints', {})) as {
          checkpoints: CheckpointRow[]
        }
        const status = (await system.ask('cam', 'enf.live.status', {})) as {
          ended: boolean
          lastError: string | null
        }
        if (status.lastError) throw new Error(status.lastError)
        return reply.checkpoints.length >= options.checkpoints || status.ended
          ? reply.checkpoints
          : null
      },
      { timeoutMs: 600_000, intervalMs: 250, message: 'checkpoints to be committed' },
    )
    const ends = rows.map((r) => r.committedAtMs - source.sentAtMs(r.intervalEndSeconds)!)
    const commits = rows.map((r) => r.commitMs)
    const ages = rows.map((r) => r.intervalEndSeconds - r.endSeconds)
    log(
      `checkpoint commit at real time (48 kHz WAV over HTTP, 5 s checkpoints, CometBFT, 1 validator), over ${rows.length} checkpoints: interval end at the source → receipt p50 ${percentile(ends, 50).toFixed(0)} ms, p99 ${percentile(ends, 99).toFixed(0)} ms (target ≤ 1,000); cut → receipt p50 ${percentile(commits, 50).toFixed(0)} ms, p99 ${percentile(commits, 99).toFixed(0)} ms; last step centred ${percentile(ages, 50).toFixed(1)} s before the interval end (median); load ${loadavg()[0]!.toFixed(2)}`,
    )
    return { ends, commits, ages }
  } finally {
    await system.shutdown({ deadlineMs: 5_000 })
    await net.stop()
    await source.stop()
  }
}

const NO_SIGNATURE = { publicKeyHex: '00'.repeat(32), sign: () => '00'.repeat(64) }

/** One recording through a session against `reference` (400 Hz PCM, fed 1 s at a time). */
async function playAgainst(core: FftCore, camera: MonoAudio, reference: MonoAudio) {
  const store = createReferenceSeriesStore({ epochMs: 0, hopSeconds: 1 })
  store.append(
    createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core }).push(reference.samples),
  )
  const session = createLiveEnfSession(
    {
      extractor: createLiveEnfExtractor({ nominal: 50, sampleRate: 400, core }),
      signer: NO_SIGNATURE,
      hostId: 'bench',
      ledger: createMemoryLedger(),
      reference: { series: async (from, to) => store.series(from, to) },
      now: () => 0,
    },
    { cameraId: 'bench', streamId: 'bench', epochMs: 0 },
  )
  for (let at = 0; at < camera.samples.length; at += 400)
    session.push(camera.samples.subarray(at, at + 400))
  await session.flush()
  return session
}

function rms(x: Float64Array): number {
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!
  return Math.sqrt(sum / Math.max(1, x.length))
}

/**
 * Live detection on the 8 fixture references at 20, 15, 10 dB: each with 300–345 s replaced by
 * the next reference's audio (level-matched) and, as control, untouched; both with white noise.
 */
async function liveSpliceSuite(log: Log): Promise<Record<string, number>> {
  const core = await loadFftCore()
  const refs = await Promise.all(WHU_FIXTURE_REFERENCES.map((n) => loadEnfFixture(whuReference(n))))
  const figures: Record<string, number> = {}
  for (const snr of [20, 15, 10]) {
    let detected = 0
    let located = 0
    let falseAlarms = 0
    let checked = 0
    for (const [k, host] of refs.entries()) {
      const donor = refs[(k + 1) % refs.length]!
      const [a, b] = [300 * host.sampleRate, 345 * host.sampleRate]
      const spliced = Float64Array.from(host.samples)
      const gain = rms(host.samples.subarray(a, b)) / rms(donor.samples.subarray(a, b))
      for (let i = a; i < b; i++) spliced[i] = donor.samples[i]! * gain
      const camera = addNoise(
        { sampleRate: host.sampleRate, samples: spliced },
        snr,
        2000 + k,
        host,
      )
      const hits = (await playAgainst(core, camera, host)).alerts.filter(
        (e) => e.endSeconds > 300 && e.startSeconds < 345,
      )
      if (hits.length) detected++
      const start = Math.min(...hits.map((e) => e.startSeconds))
      const end = Math.max(...hits.map((e) => e.endSeconds))
      if (Math.abs(start - 300) <= 5 && Math.abs(end - 345) <= 5) located++
      const control = await playAgainst(core, addNoise(host, snr, 1000 + k), host)
      falseAlarms += control.alerts.length
      checked += control.checkpoints.filter((c) => c.detection !== 'skipped').length
    }
    log(
      `live, ${snr} dB: splices detected ${detected}/${refs.length}, located within 5 s ${located}; controls: ${falseAlarms} alerts over ${checked} checked checkpoints`,
    )
    figures[`live_splice_detected_${snr}db`] = detected / refs.length
    figures[`live_splice_located_5s_${snr}db`] = located / refs.length
    figures[`live_false_alarms_per_checkpoint_${snr}db`] = round(
      falseAlarms / Math.max(1, checked),
      4,
    )
  }
  return figures
}

/** Both live figures; the localnet part is null (with the reason logged) when it cannot start. */
export async function measureLiveFigures(options: {
  quick: boolean
  log: Log
}): Promise<LiveFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-enf-live-'))
  try {
    const cpu = await liveCpu(dir, { speed: 10, seconds: options.quick ? 10 : 30 }, options.log)
    let commit: Awaited<ReturnType<typeof commitLatency>> | null = null
    try {
      commit = await commitLatency(dir, { checkpoints: options.quick ? 5 : 12 }, options.log)
    } catch (error) {
      options.log(
        `checkpoint commit latency skipped (null): ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    const suite = await liveSpliceSuite(options.log)
    return {
      ...suite,
      live_cpu_pct_per_camera: round(cpu.cpuPct, 3),
      live_ffmpeg_cpu_pct_per_camera: cpu.ffmpegPct === null ? null : round(cpu.ffmpegPct, 3),
      live_audio_seconds_measured: Math.round(cpu.audioS),
      // The issue's figure: end of the interval → committed receipt.
      checkpoint_commit_p50_ms: commit ? round(percentile(commit.ends, 50), 1) : null,
      checkpoint_commit_p99_ms: commit ? round(percentile(commit.ends, 99), 1) : null,
      checkpoint_interval_end_to_receipt_ms_p50: commit
        ? round(percentile(commit.ends, 50), 1)
        : null,
      checkpoint_interval_end_to_receipt_ms_p99: commit
        ? round(percentile(commit.ends, 99), 1)
        : null,
      checkpoint_cut_to_receipt_ms_p50: commit ? round(percentile(commit.commits, 50), 1) : null,
      checkpoint_cut_to_receipt_ms_p99: commit ? round(percentile(commit.commits, 99), 1) : null,
      checkpoint_commits_measured: commit?.commits.length ?? 0,
      checkpoint_last_step_age_s: commit ? round(percentile(commit.ages, 50), 2) : null,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
