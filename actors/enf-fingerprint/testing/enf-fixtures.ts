/**
 * The ENF recordings the tests use, from the repository's tests/fixtures/enf/
 * (byte-identical copies keep their upstream paths; excerpts and resamples are
 * named for what they are). The full data sets are for the opt-in suite
 * (tests/full-data/) and the benchmark, through shared-data.ts.
 */
import { fixturePath } from '../../../tests/fixtures/index.ts'
import { readWav, type WavInfo } from '../read-wav.ts'

/** The ENF-WHU H1 references carried as fixtures (byte-identical copies of NNN_ref.wav). */
export const WHU_FIXTURE_REFERENCES = [1, 2, 3, 5, 11, 12, 17, 27] as const

/** Absolute path of a file under tests/fixtures/enf/, checked to exist. */
export function enfFixturePath(relative: string): string {
  return fixturePath(`enf/${relative}`)
}

/** Reads a WAV file from tests/fixtures/enf/. */
export async function loadEnfFixture(relative: string): Promise<WavInfo> {
  return readWav(new Uint8Array(await Bun.file(enfFixturePath(relative)).arrayBuffer()))
}

/** The relative name of ENF-WHU reference `n` (1–30), e.g. ENF-WHU-Dataset/H1_ref/001_ref.wav. */
export function whuReference(n: number): string {
  return `ENF-WHU-Dataset/H1_ref/${String(n).padStart(3, '0')}_ref.wav`
}
