/**
 * A live camera's audio for tests and the bench (docs/enf.md, Live): a WAV
 * served over HTTP on a loopback port at real time (or `speed`× it), the
 * bytes of each stretch sent when the stretch has "happened", so the wall
 * time at which any audio instant left the source is known
 * (`sentAtMs`): the reference for "interval end → committed receipt". A
 * reconnecting client gets the audio from the live position on, as from a
 * camera; `dropConnections()` cuts every open response mid-stream (the input
 * dying under ffmpeg).
 *
 * Use a 48 kHz WAV (`resampleWav`): ffmpeg's WAV demuxer reads 4,096-byte
 * packets, 5 s of 400 Hz audio but 43 ms at 48 kHz, a camera's rate.
 */
import { EnfDecodeFailedError } from '../errors.ts'

export type PacedAudioSource = {
  /** http://127.0.0.1:<port>/camera.wav */
  readonly url: string
  /** Seconds of audio in the file. */
  readonly durationSeconds: number
  /** Wall-clock ms at which the source had sent the audio up to `seconds` (source time), or undefined. */
  sentAtMs(seconds: number): number | undefined
  /** Requests served so far (1 + the reconnections). */
  readonly connections: number
  /** Ends every open response now, mid-stream. */
  dropConnections(): void
  stop(): Promise<void>
}

type Sent = { seconds: number; atMs: number }

/** Serves `wav` (a canonical 44-byte-header PCM WAV, as writeWav writes) at `speed`× real time. */
export function startPacedAudioSource(
  wav: Uint8Array,
  options: { speed?: number; chunkMs?: number; now?: () => number } = {},
): PacedAudioSource {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength)
  const byteRate = view.getUint32(28, true)
  const blockAlign = view.getUint16(32, true)
  const header = wav.subarray(0, 44)
  const data = wav.subarray(44)
  const speed = options.speed ?? 1
  const chunkMs = options.chunkMs ?? 20
  const now = options.now ?? Date.now
  const sent: Sent[] = []
  const open = new Set<{ close(): void }>()
  let startedAt: number | undefined
  let connections = 0

  const dueBytes = () => {
    const bytes = Math.floor((((now() - startedAt!) * speed) / 1000) * byteRate)
    return Math.min(data.length, bytes - (bytes % blockAlign))
  }

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    fetch() {
      connections++
      startedAt ??= now()
      let position = dueBytes()
      let dropped = false
      const stream = new ReadableStream({
        type: 'direct',
        async pull(controller) {
          const handle = { close: () => (dropped = true) }
          open.add(handle)
          controller.write(header)
          while (!dropped && position < data.length) {
            const due = dueBytes()
            if (due > position) {
              controller.write(data.subarray(position, due))
              position = due
              sent.push({ seconds: position / byteRate, atMs: now() })
              await controller.flush()
            }
            await new Promise((resolve) => setTimeout(resolve, chunkMs))
          }
          open.delete(handle)
          controller.close()
        },
      })
      return new Response(stream, { headers: { 'content-type': 'audio/wav' } })
    },
  })

  return {
    url: `http://127.0.0.1:${server.port}/camera.wav`,
    durationSeconds: data.length / byteRate,
    sentAtMs(seconds) {
      let low = 0
      let high = sent.length
      while (low < high) {
        const mid = (low + high) >> 1
        if (sent[mid]!.seconds + 1e-9 < seconds) low = mid + 1
        else high = mid
      }
      return sent[low]?.atMs
    },
    get connections() {
      return connections
    },
    dropConnections() {
      for (const handle of open) handle.close()
    },
    async stop() {
      for (const handle of open) handle.close()
      await server.stop(true)
    },
  }
}

/** The WAV file at `path` resampled by ffmpeg to `sampleRate` (16-bit mono WAV bytes). */
export async function resampleWav(path: string, sampleRate: number): Promise<Uint8Array> {
  const ffmpeg = process.env.VIGIL_FFMPEG_BIN ?? Bun.which('ffmpeg')
  if (!ffmpeg)
    throw new EnfDecodeFailedError('ffmpeg is not installed: install it (apt-get install ffmpeg)')
  const child = Bun.spawn(
    [
      ffmpeg,
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-i',
      path,
      '-ac',
      '1',
      '-ar',
      String(sampleRate),
      '-c:a',
      'pcm_s16le',
      '-map_metadata',
      '-1',
      '-fflags',
      '+bitexact',
      '-f',
      'wav',
      'pipe:1',
    ],
    { stdout: 'pipe', stderr: 'ignore' },
  )
  const bytes = new Uint8Array(await new Response(child.stdout).arrayBuffer())
  if ((await child.exited) !== 0)
    throw new EnfDecodeFailedError(`ffmpeg could not resample ${path}`)
  // ffmpeg writes no data size into a pipe: set the canonical header's sizes.
  const view = new DataView(bytes.buffer)
  view.setUint32(4, bytes.length - 8, true)
  view.setUint32(40, bytes.length - 44, true)
  return bytes
}
