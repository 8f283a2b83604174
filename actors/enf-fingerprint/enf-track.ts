/**
 * The minimal ENF time series both sides of a comparison share: an extracted
 * series (extract-enf.ts) or a reference read from CSV (read-enf-csv.ts).
 */
export type EnfTrack = {
  /** Time of frequency[0] in seconds. */
  startSeconds: number
  /** Step between values in seconds. */
  hopSeconds: number
  /** Grid frequency per step (Hz). */
  frequency: Float64Array
  /** ENF line SNR per step (dB); absent for instrument references (assumed clean). */
  snrDb?: Float64Array | undefined
  /** 1 where the value is usable; absent means all usable. */
  valid?: Uint8Array | undefined
  /** Frame length of the estimates (s; absent: 20, extraction's default). Sets the noise model's lag (mean-shift-test.ts). */
  frameSeconds?: number | undefined
}

/** Resamples a track onto another time grid (linear interpolation; NaN outside its span). */
export function resampleTrack(
  track: EnfTrack,
  startSeconds: number,
  hopSeconds: number,
  length: number,
): EnfTrack {
  const frequency = new Float64Array(length)
  const snrDb = track.snrDb ? new Float64Array(length) : undefined
  const valid = new Uint8Array(length)
  const last = track.frequency.length - 1
  for (let i = 0; i < length; i++) {
    const position = (startSeconds + i * hopSeconds - track.startSeconds) / track.hopSeconds
    if (position < -1e-9 || position > last + 1e-9 || last < 1) {
      frequency[i] = Number.NaN
      if (snrDb) snrDb[i] = Number.NEGATIVE_INFINITY
      continue
    }
    const left = Math.min(last - 1, Math.max(0, Math.floor(position)))
    const t = Math.min(1, Math.max(0, position - left))
    frequency[i] = track.frequency[left]! * (1 - t) + track.frequency[left + 1]! * t
    if (snrDb && track.snrDb) snrDb[i] = Math.min(track.snrDb[left]!, track.snrDb[left + 1]!)
    valid[i] = track.valid ? track.valid[left]! & track.valid[left + 1]! : 1
  }
  return { startSeconds, hopSeconds, frequency, snrDb, valid }
}
