/**
 * Loads `@vladmandic/human` (MIT) on TensorFlow.js's WASM backend under
 * Bun, with its models read from the npm package on disk: the WASM binary
 * and every model file come from `node_modules`, and any URL that is not
 * `file://` is refused, so loading never reaches the network.
 *
 * Human's `exports` map names its node-wasm build without `./`, which Bun
 * does not resolve; the build is found next to the package's main file.
 */
import { dirname, join } from 'node:path'
import { SurveilInvalidParameterError } from './errors.ts'

/** Human's instance as far as vigil uses it (its types live in the package). */
export type HumanInstance = {
  tf: HumanTf
  config: { object: { enabled: boolean } }
  models: { models: Record<string, unknown> }
  load(): Promise<void>
  detect(input: unknown): Promise<HumanResult>
}
/** A TensorFlow.js tensor as far as vigil uses it. */
export type HumanTensor = {
  readonly shape: number[]
  dispose(): void
  data(): Promise<Float32Array | Int32Array | Uint8Array>
}
export type HumanTf = {
  io: {
    registerLoadRouter(router: (url: unknown) => unknown): void
    http(url: string, options: { fetchFunc: typeof fetch }): unknown
  }
  tensor4d(values: Uint8Array, shape: number[], dtype: 'int32'): HumanTensor
  tensor1d(values: number[], dtype: 'int32'): HumanTensor
  tidy<T>(fn: () => T): T
  slice(x: HumanTensor, begin: number[], size: number[]): HumanTensor
  image: { resizeBilinear(x: HumanTensor, size: [number, number]): HumanTensor }
  env(): { getAsync(flag: string): Promise<unknown> }
  getBackend(): string
}
export type HumanResult = {
  object: { score: number; label: string; box: [number, number, number, number] }[]
  face: { score: number; box: [number, number, number, number] }[]
}

/** Absolute folder of Human's bundled models (inside node_modules). */
export function humanModelsDir(): string {
  return join(dirname(dirname(Bun.resolveSync('@vladmandic/human', import.meta.dir))), 'models')
}

const localFetch = ((url: string | URL | Request, init?: RequestInit) => {
  const href = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url
  if (!href.startsWith('file://')) {
    throw new SurveilInvalidParameterError(
      `the learned detector tried to load ${href}; models must come from the npm package on disk (file://)`,
    )
  }
  return fetch(href, init)
}) as typeof fetch

let routerRegistered = false

/** A Human instance on WASM with `config` merged over vigil's offline defaults; models loaded. */
export async function loadHuman(config: Record<string, unknown>): Promise<HumanInstance> {
  const dist = dirname(Bun.resolveSync('@vladmandic/human', import.meta.dir))
  const wasmDir = dirname(Bun.resolveSync('@tensorflow/tfjs-backend-wasm', import.meta.dir))
  const { Human } = (await import(join(dist, 'human.node-wasm.js'))) as {
    Human: new (config: Record<string, unknown>) => HumanInstance
  }
  const human = new Human({
    backend: 'wasm',
    wasmPath: `file://${wasmDir}/`,
    modelBasePath: `file://${humanModelsDir()}/`,
    cacheModels: false,
    debug: false,
    warmup: 'none',
    filter: { enabled: false },
    ...config,
  })
  if (!routerRegistered) {
    human.tf.io.registerLoadRouter((url) =>
      typeof url === 'string' && url.startsWith('file://')
        ? human.tf.io.http(url, { fetchFunc: localFetch })
        : null,
    )
    routerRegistered = true
  }
  await human.load()
  return human
}
