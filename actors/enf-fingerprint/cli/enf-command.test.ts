import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from '../../../runtime/index.ts'
import { enfFixturePath, synthesizeHum } from '../testing/index.ts'
import { writeWav } from '../write-wav.ts'
import { enfCommand } from './enf-command.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

async function run(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCommand(enfCommand, argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const recording = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')
const reference = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001_ref.wav')

describe('vigil enf', () => {
  test('compare --json prints one JSON object with the verdict, windows and spans', async () => {
    const result = await run(['compare', recording, reference, '--json'])
    expect(result.code).toBe(0)
    const parsed = JSON.parse(result.out)
    expect(parsed.verdict).toBe('authentic')
    expect(parsed.tamperedSpans).toEqual([])
    expect(parsed.windows.length).toBeGreaterThan(50)
    expect(Object.keys(parsed.windows[0]).slice(0, 3)).toEqual(['startSeconds', 'endSeconds', 'r'])
  })

  test('compare accepts a time,frequency CSV reference written by extract', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-'))
    try {
      const extracted = await run(['extract', reference])
      expect(extracted.code).toBe(0)
      const csv = join(dir, 'reference.csv')
      await writeFile(csv, `${extracted.out}\n`)
      const result = await run(['compare', recording, csv, '--json'])
      expect(JSON.parse(result.out).verdict).toBe('authentic')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('compare --at aligns a grid CSV with absolute (Unix) times', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-'))
    try {
      const extracted = await run(['extract', reference])
      const start = 1_763_715_600
      const shifted = extracted.out
        .split('\n')
        .map((line, i) => {
          if (i === 0) return line
          const [t, f] = line.split(',')
          return `${(Number(t) + start).toFixed(3)},${f}`
        })
        .join('\n')
      const csv = join(dir, 'grid.csv')
      await writeFile(csv, `${shifted}\n`)
      const result = await run(['compare', recording, csv, '--json', '--at', String(start)])
      const parsed = JSON.parse(result.out)
      expect(parsed.verdict).toBe('authentic')
      expect(Math.abs(parsed.lagSeconds - start)).toBeLessThanOrEqual(1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('extract --json reports the series with per-step SNR', async () => {
    const result = await run(['extract', reference, '--json'])
    const parsed = JSON.parse(result.out)
    expect(parsed.nominal).toBe(50)
    expect(parsed.series[0]).toEqual({
      timeSeconds: 10,
      frequencyHz: expect.any(Number),
      snrDb: expect.any(Number),
      valid: true,
    })
  })

  test('extract fails with ENF_NO_ENF on a recording without hum', async () => {
    const result = await run([
      'extract',
      enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_01-first-120s.wav'),
    ])
    expect(result.code).toBe(1)
    expect(result.err).toContain('ENF_NO_ENF')
  })

  test('rejects a nominal frequency other than 50 or 60 with ENF_INVALID_PARAMETER', async () => {
    const result = await run(['extract', reference, '--nominal', '55'])
    expect(result.code).toBe(1)
    expect(result.err).toContain('ENF_INVALID_PARAMETER')
  })

  test('rejects a recording shorter than one comparison window with ENF_TOO_SHORT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-'))
    try {
      const hum = synthesizeHum({ sampleRate: 1000, seconds: 25, nominal: 50, snrDb: 30 })
      const short = join(dir, 'short.wav')
      await writeFile(short, writeWav(hum.audio.samples, { sampleRate: 1000 }))
      const result = await run(['compare', short, reference])
      expect(result.code).toBe(1)
      expect(result.err).toContain('ENF_TOO_SHORT')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('rejects a missing file with ENF_DECODE_FAILED', async () => {
    const result = await run(['extract', '/nonexistent/recording.wav'])
    expect(result.code).toBe(1)
    expect(result.err).toContain('ENF_DECODE_FAILED')
  })
})
