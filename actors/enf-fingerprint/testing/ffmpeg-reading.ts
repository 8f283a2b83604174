/**
 * The pid of the ffmpeg process reading `input` (a URL or a path), found in
 * /proc: how the live-ENF tests kill a real ffmpeg mid-stream. The input must
 * be unique to one process (a fresh loopback port, a fresh file name).
 */
import { readdir } from 'node:fs/promises'

/** The pid of the one ffmpeg whose arguments include `input`, or null while there is none. */
export async function ffmpegReading(input: string): Promise<number | null> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const cmdline = await Bun.file(`/proc/${entry}/cmdline`)
      .text()
      .catch(() => '')
    if (cmdline.includes('ffmpeg') && cmdline.split('\0').includes(input)) return Number(entry)
  }
  return null
}
