/**
 * The learned person detector: CenterNet (MobileNetV3 backbone, COCO, 512×512
 * input) for people and BlazeFace for faces, both shipped as weights inside
 * `@vladmandic/human` 3.3.6 and run on TensorFlow.js's WASM backend (see
 * load-human.ts; provenance in NOTICE). Slower than the blob detector (a few
 * frames/s on one core) but it needs no background and sees people who
 * stand still. Input frames are rgb24.
 */
import type { Detection } from './blob-detector.ts'
import type { Box } from './box.ts'
import { SurveilInvalidParameterError } from './errors.ts'
import { type HumanInstance, loadHuman } from './load-human.ts'
import type { VideoFrame } from './video-frame.ts'

export type LearnedDetectorOptions = {
  /** Minimum person score (0–1); default 0.2 (Human's default: CenterNet scores people seen from behind at 0.2–0.3). */
  minScore?: number | undefined
  /** Also detect faces (BlazeFace) for the privacy service; default true. */
  faces?: boolean | undefined
  /** Minimum face score; default 0.5. */
  minFaceScore?: number | undefined
  /** At most this many people per frame; default 20. */
  maxPersons?: number | undefined
}

type Settings = { [K in keyof LearnedDetectorOptions]-?: NonNullable<LearnedDetectorOptions[K]> }

export type LearnedDetections = { persons: Detection[]; faces: (Box & { score: number })[] }

export type LearnedDetector = {
  detect(frame: VideoFrame): Promise<LearnedDetections>
}

function humanConfig(o: Settings): Record<string, unknown> {
  return {
    face: {
      enabled: o.faces,
      detector: { rotation: false, maxDetected: 20, minConfidence: o.minFaceScore, return: false },
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

/** Loads the models from disk (a few hundred ms) and returns the detector. */
export async function createLearnedDetector(
  options: LearnedDetectorOptions = {},
): Promise<LearnedDetector> {
  const settings: Settings = {
    minScore: options.minScore ?? 0.2,
    faces: options.faces ?? true,
    minFaceScore: options.minFaceScore ?? 0.5,
    maxPersons: options.maxPersons ?? 20,
  }
  const human: HumanInstance = await loadHuman(humanConfig(settings))
  return {
    async detect(frame) {
      if (frame.channels !== 3) {
        throw new SurveilInvalidParameterError(
          `the learned detector needs rgb24 frames (3 channels), got ${frame.channels}; decode with pixelFormat 'rgb24'`,
        )
      }
      const input = human.tf.tensor4d(frame.pixels, [1, frame.height, frame.width, 3], 'int32')
      try {
        const result = await human.detect(input)
        return {
          persons: result.object
            .filter((o) => o.label === 'person')
            .map((o) => ({ ...toBox(o.box), score: o.score })),
          faces: result.face.map((f) => ({ ...toBox(f.box), score: f.score })),
        }
      } finally {
        input.dispose()
      }
    },
  }
}
