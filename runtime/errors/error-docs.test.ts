import { describe, expect, test } from 'bun:test'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dir, '..', '..')
const CODE = /static override readonly code = '([A-Z][A-Z0-9_]*)'/g

/** Every error class code defined in runtime/ production code. */
async function runtimeCodes(): Promise<string[]> {
  const codes = new Set<string>()
  for (const file of new Bun.Glob('runtime/**/*.ts').scanSync(root)) {
    if (/\.test\.ts$|fixture/.test(file)) continue
    const text = await Bun.file(join(root, file)).text()
    for (const match of text.matchAll(CODE)) codes.add(match[1] as string)
  }
  return [...codes].sort()
}

describe('docs/errors.md', () => {
  test('has a section for every error code the runtime defines', async () => {
    const docs = await Bun.file(join(root, 'docs', 'errors.md')).text()
    const sections = new Set([...docs.matchAll(/^## ([a-z0-9_]+)$/gm)].map((m) => m[1]))
    const missing = (await runtimeCodes()).filter((code) => !sections.has(code.toLowerCase()))
    expect(missing).toEqual([])
  })
})
