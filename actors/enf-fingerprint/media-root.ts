/**
 * The host's media root: the one folder whose files requests may name. Every
 * path from a request is resolved inside it; `..` segments, paths outside it
 * and symbolic links anywhere below it (checked with lstat on each component)
 * are refused, and so is anything that is not a regular file, all with the
 * same {@link MediaPathRefusedError}: the caller cannot tell a missing file
 * from a forbidden one, and nothing outside the root is ever touched.
 *
 * The root itself is resolved once (realpath) when the actor starts, so the
 * root may be reached through a link the operator chose. Components are
 * checked just before use; someone able to create links inside the media
 * folder between the check and the read already writes to the host's disk.
 */
import { lstat, mkdir, realpath } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { MediaPathRefusedError } from './errors.ts'

/** Folder under the media root where uploaded bytes are staged (never nameable by requests). */
export const UPLOADS_FOLDER = '.uploads'

/** A media root opened for use: the configured path and its real location. */
export type MediaRoot = {
  /** The real (symlink-free) absolute path of the root. */
  readonly path: string
  /** The root as configured (absolute), also accepted as a prefix of absolute request paths. */
  readonly configured: string
}

/** Creates the media root folder if needed and resolves its real location. */
export async function openMediaRoot(path: string): Promise<MediaRoot> {
  const configured = resolve(path)
  await mkdir(configured, { recursive: true })
  return { path: await realpath(configured), configured }
}

/** The path of a request relative to the root, or undefined when it lies outside. */
function withinRoot(root: MediaRoot, requested: string): string | undefined {
  if (!isAbsolute(requested)) return requested
  for (const prefix of [root.path, root.configured]) {
    const inside = relative(prefix, resolve(requested))
    if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) return inside
  }
  return undefined
}

/**
 * Resolves a request's media path to a regular file inside the root (absolute, symlink-free),
 * or throws MEDIA_PATH_REFUSED.
 */
export async function resolveMediaPath(root: MediaRoot, requested: string): Promise<string> {
  if (requested === '' || requested.includes('\0')) throw new MediaPathRefusedError()
  if (requested.split(/[\\/]/).includes('..')) throw new MediaPathRefusedError()
  const inside = withinRoot(root, requested)
  if (inside === undefined) throw new MediaPathRefusedError()
  const segments = inside.split(sep).filter((segment) => segment !== '' && segment !== '.')
  if (segments.length === 0 || segments[0] === UPLOADS_FOLDER) throw new MediaPathRefusedError()
  let current = root.path
  for (const [index, segment] of segments.entries()) {
    current = join(current, segment)
    const stats = await lstat(current).catch(() => undefined)
    const last = index === segments.length - 1
    if (!stats || stats.isSymbolicLink() || (last ? !stats.isFile() : !stats.isDirectory())) {
      throw new MediaPathRefusedError()
    }
  }
  return current
}
