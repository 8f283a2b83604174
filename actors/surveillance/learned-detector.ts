/**
 * The learned person detector: CenterNet (MobileNetV3 backbone, COCO) for
 * people and BlazeFace for faces, both shipped as weights inside
 * `@vladmandic/human` 3.3.6 and run on TensorFlow.js's WASM backend with
 * SIMD, one thread (see load-human.ts; provenance in NOTICE). CenterNet runs
 * at a smaller input than Human's 512×512 square, keeping the frame's
 * aspect (center-net-persons.ts: 384×224 for 640×360 by default); BlazeFace
 * runs only when someone was found, and only on the part of the frame their
 * boxes cover. Slower than the blob detector but it needs no background and
 * sees people who stand still. Input frames are rgb24.
 */
import type { Detection } from './blob-detector.ts'
import type { Box } from './box.ts'
import { type CenterNetModel, createCenterNetPersons } from './center-net-persons.ts'
import { SurveilInvalidParameterError } from './errors.ts'
import { type HumanInstance, type HumanTensor, loadHuman } from './load-human.ts'
import type { VideoFrame } from './video-frame.ts'

export type LearnedDetectorOptions = {
  /** Minimum person score (0–1); default 0.2 (Human's default; at the frame's aspect the clip's people score ≈ 0.7). */
  minScore?: number | undefined
  /** Also detect faces (BlazeFace) for the privacy service; default true. */
  faces?: boolean | undefined
  /** Minimum face score; default 0.5. */
  minFaceScore?: number | undefined
  /** At most this many people per frame; default 20. */
  maxPersons?: number | undefined
  /** CenterNet's input width in pixels (a multiple of 32; the height keeps the frame's aspect); default 384. */
  inputWidth?: number | undefined
}

type Settings = { [K in keyof LearnedDetectorOptions]-?: NonNullable<LearnedDetectorOptions[K]> }

export type LearnedDetections = { persons: Detection[]; faces: (Box & { score: number })[] }

export type LearnedDetector = {
  detect(frame: VideoFrame): Promise<LearnedDetections>
}

function humanConfig(o: Settings): Record<string, unknown> {
  return {
    // Every frame is new to the detector: no result is reused from an earlier frame.
    cacheSensitivity: 0,
    face: {
      enabled: o.faces,
      detector: {
        rotation: false,
        maxDetected: 20,
        minConfidence: o.minFaceScore,
        return: false,
        skipFrames: 0,
        skipTime: 0,
      },
      mesh: { enabled: false },
      iris: { enabled: false },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    object: {
      enabled: true,
      modelPath: 'centernet.json',
      minConfidence: o.minScore,
      maxDetected: o.maxPersons,
      skipFrames: 0,
      skipTime: 0,
    },
  }
}

const toBox = ([x, y, w, h]: [number, number, number, number]) => ({ x, y, w, h })

/** The pixel box (integers, inside the frame) covering every person. */
function unionBox(persons: readonly Box[], width: number, height: number): Box {
  const x = Math.max(0, Math.floor(Math.min(...persons.map((p) => p.x))))
  const y = Math.max(0, Math.floor(Math.min(...persons.map((p) => p.y))))
  const right = Math.min(width, Math.ceil(Math.max(...persons.map((p) => p.x + p.w))))
  const bottom = Math.min(height, Math.ceil(Math.max(...persons.map((p) => p.y + p.h))))
  return { x, y, w: Math.max(1, right - x), h: Math.max(1, bottom - y) }
}

/** BlazeFace on the region the persons cover, boxes back in frame pixels. */
async function facesWithin(
  human: HumanInstance,
  input: HumanTensor,
  region: Box,
): Promise<LearnedDetections['faces']> {
  const crop = human.tf.slice(input, [0, region.y, region.x, 0], [1, region.h, region.w, 3])
  try {
    const result = await human.detect(crop)
    return result.face.map((f) => {
      const b = toBox(f.box)
      return { x: b.x + region.x, y: b.y + region.y, w: b.w, h: b.h, score: f.score }
    })
  } finally {
    crop.dispose()
  }
}

function settingsOf(options: LearnedDetectorOptions): Settings {
  const settings: Settings = {
    minScore: options.minScore ?? 0.2,
    faces: options.faces ?? true,
    minFaceScore: options.minFaceScore ?? 0.5,
    maxPersons: options.maxPersons ?? 20,
    inputWidth: options.inputWidth ?? 384,
  }
  if (!Number.isInteger(settings.inputWidth) || settings.inputWidth < 64) {
    throw new SurveilInvalidParameterError(
      `the learned detector's inputWidth must be an integer of at least 64 pixels, got ${settings.inputWidth}`,
    )
  }
  return settings
}

/** Loads the models from disk (a few hundred ms) and returns the detector. */
export async function createLearnedDetector(
  options: LearnedDetectorOptions = {},
): Promise<LearnedDetector> {
  const settings = settingsOf(options)
  const human: HumanInstance = await loadHuman(humanConfig(settings))
  // CenterNet is driven directly (center-net-persons.ts); Human itself only runs BlazeFace.
  human.config.object.enabled = false
  const centerNet = createCenterNetPersons(
    human.tf,
    human.models.models.centernet as CenterNetModel,
    settings,
  )
  return {
    async detect(frame) {
      if (frame.channels !== 3) {
        throw new SurveilInvalidParameterError(
          `the learned detector needs rgb24 frames (3 channels), got ${frame.channels}; decode with pixelFormat 'rgb24'`,
        )
      }
      const { persons, input } = await centerNet.detect(frame)
      try {
        const faces =
          settings.faces && persons.length > 0
            ? await facesWithin(human, input, unionBox(persons, frame.width, frame.height))
            : []
        return { persons, faces }
      } finally {
        input.dispose()
      }
    },
  }
}
