/**
 * docs/errors.md is pinned to the code: every error code an error class declares (`static
 * readonly code = '…'`, or a `new BaseError('CODE', …)`) has its own `## code` section, and every
 * section names a code that still exists (declared, or answered as a literal, e.g. in a reply). A new error without docs, or docs of a removed error,
 * fails here.
 */
import { describe, expect, test } from 'bun:test'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dir, '..')
const DECLARED = [
  /static (?:override )?readonly code = '([A-Z][A-Z0-9_]+)'/g,
  /new BaseError\(\s*'([A-Z][A-Z0-9_]+)'/g,
]

async function codesInCode(): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  const files = new Bun.Glob('{actors,runtime,ledger,contracts,wasm,scripts}/**/*.ts').scanSync(
    root,
  )
  for (const file of files) {
    if (file.includes('node_modules') || /\.test\.ts$|-fixture\.ts$|\/testing\//.test(file))
      continue
    const text = await Bun.file(join(root, file)).text()
    for (const pattern of DECLARED) {
      for (const match of text.matchAll(pattern)) found.set(match[1] as string, file)
    }
  }
  return found
}

/** Codes that appear as string literals in production code (e.g. a reply's `code` field). */
async function codeLiterals(): Promise<Set<string>> {
  const found = new Set<string>()
  const files = new Bun.Glob('{actors,runtime,ledger,contracts,wasm,scripts}/**/*.ts').scanSync(
    root,
  )
  for (const file of files) {
    if (file.includes('node_modules') || /\.test\.ts$/.test(file)) continue
    const text = await Bun.file(join(root, file)).text()
    for (const match of text.matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g))
      found.add(match[1] as string)
  }
  return found
}

async function codesInDocs(): Promise<Set<string>> {
  const text = await Bun.file(join(root, 'docs', 'errors.md')).text()
  const sections = [...text.matchAll(/^## ([a-z][a-z0-9_]+)\s*$/gm)].map((m) => m[1] as string)
  return new Set(sections.map((s) => s.toUpperCase()))
}

describe('docs/errors.md', () => {
  test('documents every error code the code declares', async () => {
    const documented = await codesInDocs()
    const missing = [...(await codesInCode())]
      .filter(([code]) => !documented.has(code))
      .map(([code, file]) => `${code} (${file})`)
    expect(missing).toEqual([])
  })

  test('documents no code that the code no longer declares or answers with', async () => {
    const declared = await codesInCode()
    const answered = await codeLiterals()
    const stale = [...(await codesInDocs())].filter(
      (code) => !declared.has(code) && !answered.has(code),
    )
    expect(stale).toEqual([])
  })
})
