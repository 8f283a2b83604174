/**
 * Locates the full ENF data sets (a `shared/data/enf` folder beside the
 * checkout or above it, or wherever VIGIL_SHARED_DATA points). Only the opt-in
 * full-data suite (tests/full-data/) and `bun run bench enf` read them; the
 * default test suite uses the fixtures in tests/fixtures/ (enf-fixtures.ts).
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { readWav, type WavInfo } from '../read-wav.ts'

const HOW_TO_PROVIDE =
  'set VIGIL_SHARED_DATA to the folder holding enf/ (ENF-WHU-Dataset, ENFify, pyenf_extraction), or place it at ../shared/data relative to the repository'

/** The `shared/data` folder: $VIGIL_SHARED_DATA, or the first `shared/data` walking up from the repo; undefined when absent. */
export function findSharedDataDir(): string | undefined {
  const fromEnv = process.env.VIGIL_SHARED_DATA
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`VIGIL_SHARED_DATA=${fromEnv} does not exist`)
    return fromEnv
  }
  let dir = resolve(import.meta.dir, '../../..')
  for (;;) {
    const candidate = join(dir, 'shared', 'data')
    if (existsSync(join(candidate, 'enf'))) return candidate
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** Why the full data is missing and how to provide it (printed by the opt-in suite and the benchmark). */
export const SHARED_DATA_MISSING = `ENF full data not found: ${HOW_TO_PROVIDE}`

/** The `shared/data` folder, or an error that says how to provide it. */
export function sharedDataDir(): string {
  const dir = findSharedDataDir()
  if (!dir) throw new Error(SHARED_DATA_MISSING)
  return dir
}

/** Absolute path of a file under shared/data/enf/, checked to exist. */
export function enfDataPath(relative: string): string {
  const path = join(sharedDataDir(), 'enf', relative)
  if (!existsSync(path)) throw new Error(`ENF data file missing: ${path}`)
  return path
}

/** Reads a WAV file from shared/data/enf/. */
export async function loadEnfWav(relative: string): Promise<WavInfo> {
  return readWav(new Uint8Array(await Bun.file(enfDataPath(relative)).arrayBuffer()))
}
