/**
 * CenterNet (from `@vladmandic/human`, loaded by load-human.ts) run at an
 * input size of our choosing instead of Human's 512×512 square: the frame is
 * resized keeping its aspect ratio to `inputWidth` (a multiple of 32) wide,
 * the graph's three folded upsample sizes and its input shape are set for
 * that size, and only the heat map and box heads are evaluated; the boxes
 * are decoded in JavaScript (decode-center-net.ts). At 384×224 a frame
 * costs about a third of 512×512, and people keep their proportions (the
 * square squashes them, which lowers their scores).
 */
import type { Detection } from './blob-detector.ts'
import { decodeCenterNet } from './decode-center-net.ts'
import { SurveilInvalidParameterError } from './errors.ts'
import type { HumanTensor, HumanTf } from './load-human.ts'
import type { VideoFrame } from './video-frame.ts'

/** The parts of Human's loaded CenterNet GraphModel used here. */
export type CenterNetModel = {
  execute(input: HumanTensor, outputs: string[]): HumanTensor[]
  executor: {
    weightMap: Record<string, HumanTensor[]>
    graph: { placeholders: { attrParams: { shape: { value: number[] } } }[] }
  }
}

export type CenterNetPersonsOptions = {
  readonly inputWidth: number
  readonly minScore: number
  readonly maxPersons: number
}

export type CenterNetPersons = {
  /** Persons in frame pixels, and the frame as a [1, h, w, 3] tensor the caller disposes. */
  detect(frame: VideoFrame): Promise<{ persons: Detection[]; input: HumanTensor }>
}

const upsamples = [
  'tower_0/CenternetHead/c5_upsample/up_sampling2d/mul',
  'tower_0/CenternetHead/c4_upsample/up_sampling2d_1/mul',
  'tower_0/CenternetHead/c3_upsample/up_sampling2d_2/mul',
]
const stride = 4

/** The model input for a frame: `inputWidth` wide, the frame's aspect, both multiples of 32. */
export function centerNetInputSize(inputWidth: number, frame: { width: number; height: number }) {
  const width = Math.max(32, Math.round(inputWidth / 32) * 32)
  const height = Math.max(32, Math.round((width * frame.height) / frame.width / 32) * 32)
  return { width, height }
}

function resizeGraph(tf: HumanTf, model: CenterNetModel, width: number, height: number): void {
  const weights = model.executor.weightMap
  upsamples.forEach((name, i) => {
    const current = weights[name]
    if (!current) throw new SurveilInvalidParameterError(`CenterNet has no node ${name}`)
    const divisor = 16 / 2 ** i
    for (const t of current) t.dispose()
    weights[name] = [tf.tensor1d([height / divisor, width / divisor], 'int32')]
  })
  const placeholder = model.executor.graph.placeholders[0]
  if (!placeholder) throw new SurveilInvalidParameterError('CenterNet has no input placeholder')
  placeholder.attrParams.shape.value = [1, height, width, 3]
}

/** The input size each loaded model is bound to: Human loads a model once per process, so detectors share it. */
const boundSizes = new WeakMap<CenterNetModel, { width: number; height: number }>()

/** Binds the shared model to the frame's input size, re-binding when it changed. */
function bindModel(tf: HumanTf, model: CenterNetModel, size: { width: number; height: number }) {
  const bound = boundSizes.get(model)
  if (bound?.width === size.width && bound.height === size.height) return
  resizeGraph(tf, model, size.width, size.height)
  boundSizes.set(model, size)
}

/** Runs the model at `inputWidth` (re-binding the shared graph when another size ran last). */
export function createCenterNetPersons(
  tf: HumanTf,
  model: CenterNetModel,
  options: CenterNetPersonsOptions,
): CenterNetPersons {
  return {
    async detect(frame) {
      const b = centerNetInputSize(options.inputWidth, frame)
      bindModel(tf, model, b)
      const input = tf.tensor4d(frame.pixels, [1, frame.height, frame.width, 3], 'int32')
      const [heatT, whT] = tf.tidy(() => {
        const resized = tf.image.resizeBilinear(input, [b.height, b.width])
        const [keypoints, wh] = model.execute(resized, ['tower_0/keypoints', 'tower_0/wh'])
        return [tf.slice(keypoints!, [0, 0, 0, 0], [1, -1, -1, 1]), wh!]
      })
      try {
        const [heat, wh] = await Promise.all([heatT.data(), whT.data()])
        const grid = {
          width: b.width / stride,
          height: b.height / stride,
          stride,
          scaleX: frame.width / b.width,
          scaleY: frame.height / b.height,
        }
        const persons = decodeCenterNet(heat as Float32Array, wh as Float32Array, grid, {
          minScore: options.minScore,
          maxDetections: options.maxPersons,
          iouThreshold: 0.4,
          frameWidth: frame.width,
          frameHeight: frame.height,
        })
        return { persons, input }
      } catch (error) {
        input.dispose()
        throw error
      } finally {
        heatT.dispose()
        whT.dispose()
      }
    },
  }
}
