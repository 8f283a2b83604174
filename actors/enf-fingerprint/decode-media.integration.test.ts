import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median } from '../../runtime/index.ts'
import { loadFftCoreSync } from '../../wasm/index.ts'
import { compareEnf } from './compare-enf.ts'
import { decodeMedia } from './decode-media.ts'
import { EnfDecodeFailedError, EnfNoAudioError } from './errors.ts'
import { extractEnf } from './extract-enf.ts'
import { loadAudio } from './load-audio.ts'
import { loadRecordingOrSeries } from './load-reference.ts'
import { addNoise, enfFixturePath, loadEnfFixture, whuReference } from './testing/index.ts'
import { writeWav } from './write-wav.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

const ffmpeg = process.env.VIGIL_FFMPEG_BIN ?? Bun.which('ffmpeg')
const core = loadFftCoreSync()

async function ffmpegRun(args: string[]) {
  if (!ffmpeg)
    throw new Error('ffmpeg not found: install it (apt-get install ffmpeg) or set VIGIL_FFMPEG_BIN')
  await using child = Bun.spawn([ffmpeg, '-nostdin', '-v', 'error', '-y', ...args], {
    stderr: 'pipe',
  })
  const code = await child.exited
  if (code !== 0) throw new Error(`ffmpeg failed: ${await new Response(child.stderr).text()}`)
}

describe('decodeMedia', () => {
  test('decodes a video’s AAC audio to the same ENF as the WAV it came from', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-media-'))
    try {
      const wav = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001_ref.wav')
      const video = join(dir, 'camera.mp4')
      // A black 32×32 video with the reference as its AAC soundtrack, as a camera would store it.
      await ffmpegRun([
        '-f',
        'lavfi',
        '-i',
        'color=c=black:s=16x16:r=1',
        '-i',
        wav,
        '-t',
        '90',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-c:a',
        'aac',
        '-b:a',
        '64k',
        video,
      ])
      const fromVideo = extractEnf(await loadAudio(video, { nominal: 50 }), { nominal: 50, core })
      const full = await loadAudio(wav, { nominal: 50 })
      const first90s = {
        sampleRate: full.sampleRate,
        samples: full.samples.subarray(0, 90 * full.sampleRate),
      }
      const fromWav = extractEnf(first90s, { nominal: 50, core })
      const n = Math.min(fromVideo.frequency.length, fromWav.frequency.length)
      expect(n).toBeGreaterThan(60)
      const errors = Array.from({ length: n }, (_, i) =>
        Math.abs(fromVideo.frequency[i]! - fromWav.frequency[i]!),
      )
      expect(median(errors)).toBeLessThan(0.0005)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('decodes 44.1 kHz audio at the requested rate', async () => {
    // The first 2 s of pyENF's audio_recording.wav (the whole 33.85 s file: tests/full-data/).
    const audio = await decodeMedia(
      enfFixturePath('pyenf_extraction/audio_recording-first-2s-44k.wav'),
      {
        sampleRate: 1200,
      },
    )
    expect(audio.sampleRate).toBe(1200)
    expect(Math.abs(audio.samples.length / 1200 - 2)).toBeLessThan(0.05)
  })

  test('rejects a video without an audio stream with ENF_NO_AUDIO', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-media-'))
    try {
      const video = join(dir, 'silent.mp4')
      await ffmpegRun([
        '-f',
        'lavfi',
        '-i',
        'color=c=black:s=16x16:r=1:d=2',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        video,
      ])
      await expect(decodeMedia(video, { sampleRate: 1000 })).rejects.toThrow(EnfNoAudioError)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('rejects a file that is not media with ENF_DECODE_FAILED', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-media-'))
    try {
      const text = join(dir, 'notes.txt')
      await writeFile(text, 'not audio at all\n')
      await expect(loadAudio(text, { nominal: 50 })).rejects.toThrow(EnfDecodeFailedError)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('calls AAC and MP3 copies of a noisy mains recording authentic against the original', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-media-'))
    try {
      const full = await loadEnfFixture(whuReference(27))
      // The last 5 minutes: they include a disturbance of the mains recording itself (at 482.8 s).
      const host = {
        sampleRate: full.sampleRate,
        samples: full.samples.subarray(full.samples.length - 300 * full.sampleRate),
      }
      const noisy = addNoise(host, 25, 27)
      let peak = 0
      for (const v of noisy.samples) peak = Math.max(peak, Math.abs(v))
      const original = join(dir, 'original.wav')
      await writeFile(
        original,
        writeWav(
          noisy.samples.map((v) => (0.8 * v) / peak),
          { sampleRate: host.sampleRate },
        ),
      )
      const options = { nominal: 50, core } as const
      const reference = await loadRecordingOrSeries(original, options, 'reference')
      for (const [codec, extension] of [
        ['aac', 'm4a'],
        ['libmp3lame', 'mp3'],
      ] as const) {
        const copy = join(dir, `copy.${extension}`)
        await ffmpegRun(['-i', original, '-ar', '8000', '-c:a', codec, '-b:a', '32k', copy])
        const recording = await loadRecordingOrSeries(copy, options)
        const result = compareEnf(recording.track, reference.track, {
          discontinuities: recording.discontinuities,
          referenceDiscontinuities: reference.discontinuities,
        })
        expect(result.verdict).toBe('authentic')
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('reads WAVs over 64 MiB through ffmpeg at the working rate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enf-media-'))
    try {
      // 13 minutes of 44.1 kHz 16-bit hum at 50.02 Hz: 69 MB.
      const rate = 44100
      const samples = new Float64Array(rate * 780)
      for (let i = 0; i < samples.length; i++)
        samples[i] = 0.3 * Math.sin((2 * Math.PI * 50.02 * i) / rate)
      const big = join(dir, 'long.wav')
      await writeFile(big, writeWav(samples, { sampleRate: rate }))
      const audio = await loadAudio(big, { nominal: 50 })
      expect(audio.sampleRate).toBe(1000)
      const series = extractEnf(audio, { nominal: 50, core })
      expect(Math.abs(median(series.frequency) - 50.02)).toBeLessThan(0.0005)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
