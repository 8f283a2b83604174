/**
 * Locates the shared ENF test data (../shared/data/enf from a checkout in
 * /work/wt/<name>, or wherever VIGIL_SHARED_DATA points). Missing data is an
 * error that says how to provide it, never a silent skip.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { readWav, type WavInfo } from '../read-wav.ts'

/** The `shared/data` folder: $VIGIL_SHARED_DATA, or the first `shared/data` walking up from the repo. */
export function sharedDataDir(): string {
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
    if (parent === dir) break
    dir = parent
  }
  throw new Error(
    'ENF test data not found: set VIGIL_SHARED_DATA to the folder holding enf/ (ENF-WHU-Dataset, ENFify, pyenf_extraction), or place it at ../shared/data relative to the repository',
  )
}

/** Absolute path of a file under shared/data/enf/, checked to exist. */
export function enfDataPath(relative: string): string {
  const path = join(sharedDataDir(), 'enf', relative)
  if (!existsSync(path)) throw new Error(`ENF test data file missing: ${path}`)
  return path
}

/** Reads a WAV file from shared/data/enf/. */
export async function loadEnfWav(relative: string): Promise<WavInfo> {
  return readWav(new Uint8Array(await Bun.file(enfDataPath(relative)).arrayBuffer()))
}

/** ENF-WHU reference `n` (1–30), e.g. ENF-WHU-Dataset/H1_ref/001_ref.wav. */
export function whuReference(n: number): string {
  return `ENF-WHU-Dataset/H1_ref/${String(n).padStart(3, '0')}_ref.wav`
}
