/**
 * Decodes any ffmpeg input (file, rtsp://, udp://, http:// MJPEG) to raw
 * grey or rgb24 frames at a chosen size through Debian's ffmpeg, read from
 * its stdout pipe. Each frame's bytes are copied once out of the pipe chunks
 * into their own buffer, or into a buffer the caller provides (`frameBuffer`,
 * e.g. a slot of a shared ring), so it can be handed onward without a copy.
 */
import { SurveilDecodeFailedError } from './errors.ts'
import type { VideoFrame } from './video-frame.ts'

export type ReadVideoFramesOptions = {
  /** Output width in pixels (even). */
  width: number
  /** Output height in pixels (even). */
  height: number
  /** Output frame rate; absent keeps the input's. */
  fps?: number | undefined
  /** Read the input at its native rate (`-re`), so a file acts as a live camera. */
  realtime?: boolean | undefined
  /** Stop after this many frames. */
  maxFrames?: number | undefined
  /** Seek to this many seconds before decoding. */
  startSeconds?: number | undefined
  /** `gray` (1 byte per pixel, default) or `rgb24` (3). */
  pixelFormat?: 'gray' | 'rgb24' | undefined
  /**
   * Where to write the next frame (`width × height × channels` bytes); absent:
   * a new Uint8Array per frame. The yielded frame's pixels are this buffer,
   * valid until the generator is resumed.
   */
  frameBuffer?: (() => Uint8Array) | undefined
  /** Aborting kills ffmpeg; the generator then throws SURVEIL_DECODE_FAILED (stalled or stopped). */
  signal?: AbortSignal | undefined
}

/** Size of the video's first stream, through ffprobe. */
export async function probeVideoSize(input: string): Promise<{ width: number; height: number }> {
  const probe = Bun.spawn(
    [
      'ffprobe',
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height',
    ].concat(['-of', 'csv=p=0', input]),
    { stdout: 'pipe', stderr: 'pipe' },
  )
  const [text, code] = [await new Response(probe.stdout).text(), await probe.exited]
  const [width, height] = text.trim().split(',').map(Number)
  if (code !== 0 || !width || !height) {
    throw new SurveilDecodeFailedError(
      `ffprobe could not read a video stream from ${input}; check the path or URL and that ffmpeg is installed (apt-get install ffmpeg)`,
    )
  }
  return { width, height }
}

function ffmpegArgs(input: string, options: ReadVideoFramesOptions): string[] {
  const filters = [`scale=${options.width}:${options.height}`]
  if (options.fps) filters.push(`fps=${options.fps}`)
  return [
    'ffmpeg',
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    ...(options.realtime ? ['-re'] : []),
    ...(options.startSeconds ? ['-ss', String(options.startSeconds)] : []),
    '-i',
    input,
    '-an',
    '-vf',
    filters.join(','),
    ...(options.maxFrames ? ['-frames:v', String(options.maxFrames)] : []),
    '-f',
    'rawvideo',
    '-pix_fmt',
    options.pixelFormat ?? 'gray',
    'pipe:1',
  ]
}

/** Yields frames (1-based index) until the input ends; throws if ffmpeg fails. */
export async function* readVideoFrames(
  input: string,
  options: ReadVideoFramesOptions,
): AsyncGenerator<VideoFrame> {
  const channels = options.pixelFormat === 'rgb24' ? 3 : 1
  const size = options.width * options.height * channels
  const next = options.frameBuffer ?? (() => new Uint8Array(size))
  const child = Bun.spawn(ffmpegArgs(input, options), { stdout: 'pipe', stderr: 'pipe' })
  const stderr = new Response(child.stderr).text()
  // SIGKILL: ffmpeg blocked opening a stalled input (a FIFO, a hung socket) may outlive SIGTERM.
  const kill = () => child.kill('SIGKILL')
  options.signal?.addEventListener('abort', kill, { once: true })
  let frame = next()
  let filled = 0
  let index = 0
  try {
    for await (const chunk of child.stdout) {
      let offset = 0
      while (offset < chunk.length) {
        const take = Math.min(size - filled, chunk.length - offset)
        frame.set(chunk.subarray(offset, offset + take), filled)
        filled += take
        offset += take
        if (filled === size) {
          index += 1
          yield { index, width: options.width, height: options.height, channels, pixels: frame }
          frame = next()
          filled = 0
        }
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', kill)
    child.kill()
  }
  if (options.signal?.aborted)
    throw new SurveilDecodeFailedError(
      `decoding ${input} was aborted after ${index} frames: ${String(options.signal.reason ?? 'stopped')}`,
    )
  const code = await child.exited
  if (code !== 0 && index === 0) {
    throw new SurveilDecodeFailedError(
      `ffmpeg could not decode ${input} (exit ${code}): ${(await stderr).trim().slice(0, 300)}`,
    )
  }
}
