/**
 * Decodes any ffmpeg input (file, rtsp://, udp://, http:// MJPEG) to raw
 * grayscale frames at a chosen size through Debian's ffmpeg, read from its
 * stdout pipe. Each frame's bytes are copied once out of the pipe chunks into
 * their own buffer (so it can be transferred onward).
 */
import { SurveilDecodeFailedError } from './errors.ts'
import type { GrayFrame } from './gray-frame.ts'

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
    'gray',
    'pipe:1',
  ]
}

/** Yields frames (1-based index) until the input ends; throws if ffmpeg fails. */
export async function* readVideoFrames(
  input: string,
  options: ReadVideoFramesOptions,
): AsyncGenerator<GrayFrame> {
  const size = options.width * options.height
  const child = Bun.spawn(ffmpegArgs(input, options), { stdout: 'pipe', stderr: 'pipe' })
  const stderr = new Response(child.stderr).text()
  let frame = new Uint8Array(size)
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
          yield { index, width: options.width, height: options.height, pixels: frame }
          frame = new Uint8Array(size)
          filled = 0
        }
      }
    }
  } finally {
    child.kill()
  }
  const code = await child.exited
  if (code !== 0 && index === 0) {
    throw new SurveilDecodeFailedError(
      `ffmpeg could not decode ${input} (exit ${code}): ${(await stderr).trim().slice(0, 300)}`,
    )
  }
}
