/**
 * `bun run bench surveillance [--json]`: the surveillance pipeline at
 * 640×360 on the real clip (blob detector → SORT, decode included, one
 * thread), per stage on pre-decoded frames, the learned detector
 * (CenterNet at 384×224 on WASM with SIMD, one thread; BlazeFace inside the
 * person boxes) on rgb24 frames, fuzzy decisions/s, and
 * the kernel pipeline (camera → detector → tracker → features → decision in
 * workers) for decode → fog-feature latency and RSS.
 */
import { join } from 'node:path'
import type { GrayFrame, VideoFrame } from '../../actors/surveillance/index.ts'
import {
  createBlobDetector,
  createFrameDetector,
  createSortTracker,
  defaultFuzzyConfig,
  inferSuspicion,
  readVideoFrames,
} from '../../actors/surveillance/index.ts'
import { createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'

const root = join(import.meta.dir, '..', '..')
const clip = join(
  Bun.env.VIGIL_SHARED_DATA ?? join(root, '..', 'shared', 'data'),
  'video',
  'one-by-one-person-detection.mp4',
)
const size = { width: 640, height: 360 }

async function endToEnd(): Promise<{ fps: number; frames: GrayFrame[] }> {
  const detector = createBlobDetector()
  const tracker = createSortTracker()
  const frames: GrayFrame[] = []
  const started = performance.now()
  for await (const frame of readVideoFrames(clip, { ...size, maxFrames: 600 })) {
    tracker.update(detector.detect(frame))
    frames.push(frame)
  }
  return { fps: frames.length / ((performance.now() - started) / 1000), frames }
}

function stages(frames: GrayFrame[]) {
  const detector = createBlobDetector()
  const detections = []
  let t = performance.now()
  for (const f of frames) detections.push(detector.detect(f))
  const detectFps = frames.length / ((performance.now() - t) / 1000)
  const tracker = createSortTracker()
  t = performance.now()
  for (let round = 0; round < 5; round++) for (const d of detections) tracker.update(d)
  const trackerPerS = (5 * detections.length) / ((performance.now() - t) / 1000)
  return { detectFps, trackerPerS }
}

type LearnedRate = { fps: number; cpuMsPerFrame: number }

/**
 * Learned detector frames/s at 640×360 (persons only, then with faces), after two warm-up frames,
 * and the process CPU time per frame: it runs on one thread, so 1000 / CPU ms is its rate on a
 * core of its own, whatever else loads the machine.
 */
async function learnedDetectorFps(): Promise<{ persons: LearnedRate; withFaces: LearnedRate }> {
  const frames: VideoFrame[] = []
  for await (const frame of readVideoFrames(clip, {
    ...size,
    pixelFormat: 'rgb24',
    startSeconds: 8,
    maxFrames: 22,
  }))
    frames.push(frame)
  const rate = async (faces: boolean) => {
    const detector = await createFrameDetector('learned', { learned: { faces } })
    for (const f of frames.slice(0, 2)) await detector.detect(f)
    const t = performance.now()
    const cpu = process.cpuUsage()
    for (const f of frames.slice(2)) await detector.detect(f)
    const used = process.cpuUsage(cpu)
    const n = frames.length - 2
    return {
      fps: n / ((performance.now() - t) / 1000),
      cpuMsPerFrame: (used.user + used.system) / 1000 / n,
    }
  }
  return { persons: await rate(false), withFaces: await rate(true) }
}

function decisionsPerSecond(): number {
  const n = 100_000
  const t = performance.now()
  for (let i = 0; i < n; i++)
    inferSuspicion(defaultFuzzyConfig, {
      dwell: i % 200,
      speed: (i % 20) / 10,
      straightness: (i % 10) / 10,
      turns: i % 8,
      zoneRisk: (i % 3) / 2,
    })
  return n / ((performance.now() - t) / 1000)
}

async function kernelPipeline(): Promise<{
  p50: number | null
  rssMb: number
  frames: number
  error: string | null
}> {
  const system = createActorSystem({ config: { spareWorkers: 0 } })
  const dir = join(root, 'actors', 'surveillance')
  const spawn = (name: string, file: string, exp: string, args: unknown) =>
    system.spawn(name, { module: join(dir, file), export: exp }, { args })
  await spawn('surveil-decision', 'decision-actor.ts', 'decisionActor', {})
  await spawn('surveil-features', 'features-actor.ts', 'featuresActor', {})
  await spawn('surveil-tracker', 'tracker-actor.ts', 'trackerActor', {})
  await spawn('surveil-detector', 'detector-actor.ts', 'detectorActor', { detector: 'blobs' })
  await spawn('surveil-camera', 'camera-actor.ts', 'cameraActor', {
    cameraId: 'bench',
    input: clip,
    ...size,
    fps: 10,
    realtime: true,
    maxFrames: 300,
  })
  type Stats = { ended: boolean; frames: number; lastError: string | null }
  const stats = await waitFor(
    async () => {
      const s = (await system.ask('surveil-camera', 'camera.stats', {})) as Stats
      return s.ended ? s : undefined
    },
    { timeoutMs: 120_000, intervalMs: 200 },
  )
  const rssMb = process.memoryUsage().rss / 2 ** 20
  const alerts = (await system.ask('surveil-decision', 'decision.alerts', {})) as {
    frameToFeatureP50Ms: number | null
  }
  await system.shutdown({ deadlineMs: 5000 })
  return { p50: alerts.frameToFeatureP50Ms, rssMb, frames: stats.frames, error: stats.lastError }
}

export const scenario: BenchScenario = {
  name: 'surveillance',
  description:
    'blob and learned detectors + SORT at 640×360, fuzzy decisions/s, kernel pipeline latency and RSS',
  async run({ log }) {
    const { fps, frames } = await endToEnd()
    log(
      `end to end (decode + blobs + SORT, one thread): ${fps.toFixed(0)} frames/s over ${frames.length} frames`,
    )
    const { detectFps, trackerPerS } = stages(frames)
    log(
      `blob detector alone: ${detectFps.toFixed(0)} frames/s; SORT: ${trackerPerS.toFixed(0)} updates/s`,
    )
    const decisions = decisionsPerSecond()
    log(`fuzzy decisions: ${decisions.toFixed(0)}/s`)
    const kernel = await kernelPipeline()
    log(
      `kernel pipeline (real time, 300 frames): frame → fog feature p50 ${kernel.p50} ms, RSS ${kernel.rssMb.toFixed(0)} MB`,
    )
    // After the kernel pipeline, so its RSS does not include TensorFlow.js and the models.
    const learned = await learnedDetectorFps()
    log(
      `learned detector (CenterNet 384×224 on WASM SIMD, one thread): ${learned.persons.fps.toFixed(1)} frames/s (${learned.persons.cpuMsPerFrame.toFixed(0)} ms CPU per frame); with BlazeFace faces in the person boxes ${learned.withFaces.fps.toFixed(1)} frames/s (${learned.withFaces.cpuMsPerFrame.toFixed(0)} ms CPU)`,
    )
    return {
      blob_pipeline_fps: Math.round(fps),
      blob_detector_fps: Math.round(detectFps),
      learned_detector_fps: Number(learned.persons.fps.toFixed(1)),
      learned_detector_with_faces_fps: Number(learned.withFaces.fps.toFixed(1)),
      learned_detector_cpu_ms_per_frame: Math.round(learned.persons.cpuMsPerFrame),
      learned_detector_with_faces_cpu_ms_per_frame: Math.round(learned.withFaces.cpuMsPerFrame),
      tracker_updates_per_s: Math.round(trackerPerS),
      frame_to_feature_p50_ms: kernel.p50,
      decisions_per_s: Math.round(decisions),
      edge_rss_mb: Math.round(kernel.rssMb),
    }
  },
}
