/**
 * Steps 2 and 3 of ENF extraction (extract-enf.ts): the harmonic comb that
 * band-passes the nominal and all its harmonics at once, and the decimation
 * that folds each harmonic into its own narrow band so the STFT runs at a
 * twentieth of the working rate.
 */
import { EnfInvalidParameterError } from './errors.ts'

/** Grid nominal frequency in Hz. */
export type Nominal = 50 | 60

/** Pole of each of the two cascaded one-pole combs. */
export const COMB_POLE = 0.8
/** Each folded band keeps at least this much (Hz) beyond the search range for the noise floor. */
export const MIN_NOISE_MARGIN_HZ = 0.5

/** Where one harmonic lands after decimation. */
export type FoldedBand = {
  harmonic: number
  /** Where harmonic h·f0 lands after decimation (Hz). */
  centre: number
  /** +1 if a positive grid deviation moves the folded line up, −1 if down. */
  sign: 1 | -1
  /** Peak search half-width (Hz, = h · per-harmonic search). */
  search: number
}

/** The half-width (Hz) of the peak search around harmonic h. */
export function searchHalfWidth(nominal: Nominal, harmonic: number): number {
  return (nominal === 50 ? 0.1 : 0.05) * harmonic
}

/** Folded position of harmonic `h` at `rate` (Hz). */
function foldOf(
  nominal: Nominal,
  h: number,
  rate: number,
): Omit<FoldedBand, 'harmonic' | 'search'> {
  const a = (h * nominal) % rate
  return a > rate / 2 ? { centre: rate - a, sign: -1 } : { centre: a, sign: 1 }
}

/** True when every band is clear of DC, Nyquist and every other comb tooth at `rate`. */
function bandsSeparate(
  bands: readonly FoldedBand[],
  nominal: Nominal,
  period: number,
  rate: number,
  noiseMargin: number,
): boolean {
  return bands.every((band) => {
    const half = band.search + noiseMargin + 0.1
    if (band.centre - half < 0.3 || band.centre + half > rate / 2 - 0.3) return false
    for (let tooth = 0; tooth <= Math.floor(period / 2); tooth++) {
      if (tooth === band.harmonic) continue
      const other = foldOf(nominal, tooth, rate)
      const reach = tooth === 0 ? 0.3 : Math.max(0.3, searchHalfWidth(nominal, tooth) * 1.5)
      if (Math.abs(other.centre - band.centre) < half + reach) return false
    }
    return true
  })
}

/**
 * Picks the largest decimation D such that every used harmonic folds to its
 * own band, clear of DC, Nyquist and every other comb tooth (0 … P/2).
 */
export function chooseFolding(
  nominal: Nominal,
  period: number,
  harmonics: readonly number[],
  noiseMargin: number = MIN_NOISE_MARGIN_HZ,
): { decimation: number; bands: FoldedBand[] } {
  const workRate = period * nominal
  for (let d = 4 * period; d >= 1; d--) {
    const rate = workRate / d
    const bands = harmonics.map((h) => ({
      harmonic: h,
      ...foldOf(nominal, h, rate),
      search: searchHalfWidth(nominal, h),
    }))
    if (bandsSeparate(bands, nominal, period, rate, noiseMargin)) return { decimation: d, bands }
  }
  throw new EnfInvalidParameterError('No decimation separates the requested harmonics')
}

/** Power response |H|² of the two cascaded combs at δ Hz from a tooth centre. */
export function combPowerResponse(delta: number, nominal: number): number {
  const a = COMB_POLE
  const one = ((1 - a) * (1 - a)) / (1 - 2 * a * Math.cos((2 * Math.PI * delta) / nominal) + a * a)
  return one * one
}

/** Two cascaded one-pole combs of period P (teeth at every multiple of the nominal), then every D-th sample. */
export function combAndDecimate(x: Float64Array, period: number, decimation: number): Float64Array {
  const n = x.length
  const gain = 1 - COMB_POLE
  const stage1 = new Float64Array(period)
  const stage2 = new Float64Array(period)
  const out = new Float64Array(Math.floor((n - 1) / decimation) + 1)
  let slot = 0
  let next = 0
  let o = 0
  for (let i = 0; i < n; i++) {
    const y1 = gain * x[i]! + COMB_POLE * stage1[slot]!
    stage1[slot] = y1
    const y2 = gain * y1 + COMB_POLE * stage2[slot]!
    stage2[slot] = y2
    if (i === next) {
      out[o++] = y2
      next += decimation
    }
    slot = slot + 1 === period ? 0 : slot + 1
  }
  return out
}
