import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rejectionOf } from '../../runtime/testing/index.ts'
import { MediaPathRefusedError } from './errors.ts'
import { withMediaFile } from './media-input.ts'
import { type MediaRoot, openMediaRoot, resolveMediaPath } from './media-root.ts'

let dir: string
let root: MediaRoot
let outsideFile: string

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'vigil-media-root-')))
  root = await openMediaRoot(join(dir, 'media'))
  outsideFile = join(dir, 'secret.txt')
  await writeFile(outsideFile, 'SECRET CONTENT')
  await mkdir(join(root.path, 'cam-1'))
  await writeFile(join(root.path, 'cam-1', 'clip.wav'), 'RIFF')
  await mkdir(join(dir, 'elsewhere'))
  await writeFile(join(dir, 'elsewhere', 'clip.wav'), 'RIFF')
  await symlink(outsideFile, join(root.path, 'link-to-secret'))
  await symlink(join(dir, 'elsewhere'), join(root.path, 'linked-dir'))
  await symlink(join(root.path, 'cam-1', 'clip.wav'), join(root.path, 'cam-1', 'alias.wav'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The refusal for a requested path, as the caller sees it. */
async function refusal(requested: string) {
  const error = await rejectionOf(resolveMediaPath(root, requested))
  expect(MediaPathRefusedError.is(error)).toBe(true)
  return {
    message: (error as MediaPathRefusedError).message,
    details: (error as MediaPathRefusedError).details,
  }
}

describe('resolveMediaPath', () => {
  test('resolves relative paths and absolute paths inside the root to the file', async () => {
    const file = join(root.path, 'cam-1', 'clip.wav')
    expect(await resolveMediaPath(root, 'cam-1/clip.wav')).toBe(file)
    expect(await resolveMediaPath(root, './cam-1/clip.wav')).toBe(file)
    expect(await resolveMediaPath(root, file)).toBe(file)
  })

  test('refuses absolute paths outside the root, .. segments, symbolic links and missing files with one message', async () => {
    const refusals = await Promise.all(
      [
        outsideFile,
        '../secret.txt',
        'cam-1/../../secret.txt',
        'cam-1/../cam-1/clip.wav',
        'link-to-secret',
        'linked-dir/clip.wav',
        'cam-1/alias.wav',
        'cam-1/missing.wav',
        join(dir, 'missing.wav'),
        'cam-1',
        '.uploads/x',
        '',
        'a\0b',
      ].map(refusal),
    )
    expect(new Set(refusals.map((r) => r.message)).size).toBe(1)
    for (const r of refusals) {
      expect(r.details).toBeUndefined()
      expect(r.message).not.toContain('secret')
      expect(r.message).not.toContain(dir)
    }
  })
})

describe('withMediaFile', () => {
  test('stages uploaded bytes in a private file under the root and removes it afterwards', async () => {
    let seen = ''
    const text = await withMediaFile(
      root,
      { base64: Buffer.from('uploaded bytes').toString('base64') },
      async (path) => {
        seen = path
        return Bun.file(path).text()
      },
    )
    expect(text).toBe('uploaded bytes')
    expect(seen.startsWith(join(root.path, '.uploads'))).toBe(true)
    expect(await Bun.file(seen).exists()).toBe(false)
  })

  test('removes a staged upload also when its use fails', async () => {
    let seen = ''
    const error = await rejectionOf(
      withMediaFile(root, { base64: 'AAAA' }, async (path) => {
        seen = path
        throw new Error('boom')
      }),
    )
    expect((error as Error).message).toBe('boom')
    expect(await Bun.file(seen).exists()).toBe(false)
  })
})
