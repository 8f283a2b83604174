/**
 * Step 7 of ENF extraction (extract-enf.ts): the frame estimates
 * interpolated onto the exact hop grid, and the steps a burst of other sound
 * disturbed marked unusable.
 */
import { median } from '../../runtime/index.ts'

/** Where the STFT frames sit in time. */
export type FrameTiming = {
  /** Samples per frame and between frames, at `rate` (Hz). */
  frameLength: number
  hop: number
  rate: number
  totalFrames: number
  hopSeconds: number
}

/** Interpolates per-frame frequency and SNR onto the hop grid (SNR as dB, the lower neighbour's). */
export function onHopGrid(
  frameFrequency: Float64Array,
  frameSnr: Float64Array,
  timing: FrameTiming,
): { startSeconds: number; frequency: Float64Array; snrDb: Float64Array } {
  const { frameLength, hop, rate, totalFrames, hopSeconds } = timing
  // Frame f is centred at (f·hop + (frameLength − 1)/2) / rate; put estimates on the exact hop grid.
  const firstCentre = (frameLength - 1) / 2 / rate
  const frameStep = hop / rate
  const lastCentre = firstCentre + (totalFrames - 1) * frameStep
  const startSeconds = Math.ceil(firstCentre / hopSeconds - 1e-9) * hopSeconds
  const steps = Math.floor((lastCentre - startSeconds) / hopSeconds + 1e-9) + 1
  const frequency = new Float64Array(steps)
  const snrDb = new Float64Array(steps)
  for (let i = 0; i < steps; i++) {
    const position = (startSeconds + i * hopSeconds - firstCentre) / frameStep
    const left = Math.min(totalFrames - 2, Math.max(0, Math.floor(position)))
    const t = Math.min(1, Math.max(0, position - left))
    frequency[i] = frameFrequency[left]! * (1 - t) + frameFrequency[left + 1]! * t
    const snr = Math.min(frameSnr[left]!, frameSnr[left + 1]!)
    snrDb[i] = snr > 0 ? 10 * Math.log10(snr) : -Infinity
  }
  return { startSeconds, frequency, snrDb }
}

/** 1 for each whole second of `x` whose energy exceeds 4× the median second's. */
function burstSeconds(x: Float64Array, rate: number): Uint8Array {
  const seconds = Math.floor(x.length / rate)
  const energy = new Float64Array(seconds)
  for (let s = 0; s < seconds; s++) {
    let e = 0
    for (let n = s * rate, end = n + rate; n < end; n++) e += x[n]! * x[n]!
    energy[s] = e
  }
  const typical = median(energy)
  return Uint8Array.from(energy, (e) => (e > 4 * typical ? 1 : 0))
}

/**
 * Bursts of other sound (doors, voices) inside a frame bias its estimate by several mHz while
 * its SNR can stay above the gate: a step is disturbed when its frame holds a second whose
 * energy is > 4× the typical second's and its SNR sits > 6 dB below the recording's median.
 * Valid steps reach `minSnrDb` and are not disturbed.
 */
export function markDisturbed(
  working: Float64Array,
  workRate: number,
  grid: { startSeconds: number; hopSeconds: number; frameSeconds: number; snrDb: Float64Array },
  minSnrDb: number,
): { disturbed: Uint8Array; valid: Uint8Array } {
  const { startSeconds, hopSeconds, frameSeconds, snrDb } = grid
  const burst = burstSeconds(working, workRate)
  const typicalSnr = median(Array.from(snrDb).filter(Number.isFinite))
  const disturbed = new Uint8Array(snrDb.length)
  const valid = new Uint8Array(snrDb.length)
  for (let i = 0; i < snrDb.length; i++) {
    const centre = startSeconds + i * hopSeconds
    const first = Math.max(0, Math.floor(centre - frameSeconds / 2))
    const last = Math.min(burst.length - 1, Math.ceil(centre + frameSeconds / 2))
    let hasBurst = false
    for (let s = first; s <= last && !hasBurst; s++) hasBurst = burst[s] === 1
    disturbed[i] = hasBurst && snrDb[i]! < typicalSnr - 6 ? 1 : 0
    valid[i] = snrDb[i]! >= minSnrDb && disturbed[i] === 0 ? 1 : 0
  }
  return { disturbed, valid }
}
