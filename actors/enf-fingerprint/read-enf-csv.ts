/**
 * Reads a reference ENF series from CSV: one `time,frequency` pair per line
 * (seconds, Hz), an optional header line, comma/semicolon/tab separated,
 * uniformly spaced in time. Grid instruments (FNET/FDR) and other tools
 * export this shape.
 */
import { median } from '../../runtime/index.ts'
import type { EnfTrack } from './enf-track.ts'
import { EnfBadReferenceError } from './errors.ts'

/** True when the text looks like a time,frequency CSV (not binary audio). */
export function looksLikeEnfCsv(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 512))
  return /^[\s\w",;.:-]*\d+(\.\d+)?\s*[,;\t]\s*\d+(\.\d+)?/m.test(head) && !head.includes('\u0000')
}

/** Parses a time,frequency CSV into a uniformly spaced track. */
export function readEnfCsv(text: string): EnfTrack {
  const times: number[] = []
  const values: number[] = []
  const lines = text.split(/\r?\n/)
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim()
    if (line === '' || line.startsWith('#')) continue
    const cells = line.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"|"$/g, ''))
    const time = Number(cells[0])
    const frequency = Number(cells[1])
    if (cells.length < 2 || !Number.isFinite(time) || !Number.isFinite(frequency)) {
      if (times.length === 0 && n === lines.findIndex((l) => l.trim() !== '')) continue // header
      // The line itself is not quoted: errors never echo file contents.
      throw new EnfBadReferenceError(`Line ${n + 1} of the reference CSV is not "time,frequency"`)
    }
    times.push(time)
    values.push(frequency)
  }
  if (times.length < 2) {
    throw new EnfBadReferenceError('The reference CSV has fewer than two time,frequency rows')
  }
  const hop = (times[times.length - 1]! - times[0]!) / (times.length - 1)
  if (!(hop > 0)) throw new EnfBadReferenceError('Reference CSV times must increase')
  for (let i = 1; i < times.length; i++) {
    if (Math.abs(times[i]! - times[i - 1]! - hop) > 0.05 * hop) {
      throw new EnfBadReferenceError('Reference CSV rows must be uniformly spaced in time', {
        meta: { row: i + 1, expectedStepSeconds: hop },
      })
    }
  }
  const centre = median(values)
  if (!(centre > 40 && centre < 70)) {
    throw new EnfBadReferenceError(
      `Reference frequencies must be grid frequencies (Hz), median is ${centre}`,
    )
  }
  return { startSeconds: times[0]!, hopSeconds: hop, frequency: Float64Array.from(values) }
}

/** Formats a track as time,frequency CSV (the format readEnfCsv reads). */
export function formatEnfCsv(track: EnfTrack): string {
  const rows = ['time_s,frequency_hz']
  for (let i = 0; i < track.frequency.length; i++) {
    rows.push(
      `${(track.startSeconds + i * track.hopSeconds).toFixed(3)},${track.frequency[i]!.toFixed(6)}`,
    )
  }
  return `${rows.join('\n')}\n`
}
