/**
 * A recording as a request names it: a path inside the host's media root, or
 * the file's bytes (base64 in the JSON payload, bounded by the protocol). Uploaded
 * bytes are staged in a private file under the media root (mode 0600, random
 * name, removed afterwards), so every later step reads a file the same way.
 */
import { randomUUID } from 'node:crypto'
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MediaPathRefusedError } from './errors.ts'
import { type MediaRoot, resolveMediaPath, UPLOADS_FOLDER } from './media-root.ts'

/** Exactly one of a path inside the media root or the bytes (base64). */
export type MediaInput = {
  readonly path?: string | undefined
  readonly base64?: string | undefined
}

async function stageUpload(root: MediaRoot, base64: string): Promise<string> {
  const folder = join(root.path, UPLOADS_FOLDER)
  await mkdir(folder, { recursive: true, mode: 0o700 })
  const stats = await lstat(folder)
  if (stats.isSymbolicLink() || !stats.isDirectory()) throw new MediaPathRefusedError()
  const file = join(folder, randomUUID())
  await writeFile(file, Buffer.from(base64, 'base64'), { mode: 0o600, flag: 'wx' })
  return file
}

/** Runs `use` with the absolute path of the requested media file; staged uploads are removed after. */
export async function withMediaFile<T>(
  root: MediaRoot,
  input: MediaInput,
  use: (path: string) => Promise<T>,
): Promise<T> {
  if (input.path !== undefined) return use(await resolveMediaPath(root, input.path))
  if (input.base64 === undefined) throw new MediaPathRefusedError()
  const staged = await stageUpload(root, input.base64)
  try {
    return await use(staged)
  } finally {
    await rm(staged, { force: true })
  }
}
