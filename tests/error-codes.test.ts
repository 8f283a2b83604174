/**
 * docs/errors.md is pinned to the code: every error code an error class declares (`static
 * readonly code = '…'`, `extends defineError('CODE', …)`, or a `new BaseError('CODE', …)`) has its own `## code` section, and every
 * section names a code that still exists (declared, or answered as a literal, e.g. in a reply). A new error without docs, or docs of a removed error,
 * fails here. Each package also lists its error classes (`runtimeErrors`, `ledgerErrors`, …, exported
 * from its index.ts with their codes as a union type, e.g. `RuntimeErrorCode`); that list is
 * checked against the classes the package declares.
 */
import { describe, expect, test } from 'bun:test'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dir, '..')
const DECLARED = [
  /static (?:override )?readonly code = '([A-Z][A-Z0-9_]+)'/g,
  /new BaseError\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /extends defineError\(\s*'([A-Z][A-Z0-9_]+)'/g,
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

/** The package of a source path: a top-level folder, or one service under actors/. */
function packageOf(file: string): string {
  const [top, second] = file.split('/')
  return top === 'actors' ? `actors/${second}` : (top as string)
}

/** Error classes (by name) each package declares, found in its source. */
async function classesInCode(): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>()
  const declaration =
    /export class (\w+) extends (?:\w+[^{]*\{\s*static (?:override )?readonly code =|defineError\()/g
  const files = new Bun.Glob('{actors,runtime,ledger,wasm}/**/*.ts').scanSync(root)
  for (const file of files) {
    if (file.includes('node_modules') || /\.test\.ts$|-fixture\.ts$|\/testing\//.test(file))
      continue
    const text = await Bun.file(join(root, file)).text()
    for (const match of text.matchAll(declaration)) {
      const classes = found.get(packageOf(file)) ?? new Set<string>()
      classes.add(match[1] as string)
      found.set(packageOf(file), classes)
    }
  }
  return found
}

/** The classes in the `…Errors` list a package's index.ts exports. */
async function classesListed(pkg: string): Promise<Set<string>> {
  const index = (await import(join(root, pkg, 'index.ts'))) as Record<string, unknown>
  const lists = Object.entries(index).filter(
    ([name, value]) => /^[a-z]\w*Errors$/.test(name) && Array.isArray(value),
  )
  expect(lists.map(([name]) => name)).toHaveLength(1)
  const classes = (lists[0]?.[1] ?? []) as { name: string }[]
  return new Set(classes.map((errorClass) => errorClass.name))
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

  test('each package lists exactly the error classes it declares (its ErrorCode union)', async () => {
    const mismatches: string[] = []
    for (const [pkg, declared] of await classesInCode()) {
      const listed = await classesListed(pkg)
      for (const name of declared)
        if (!listed.has(name)) mismatches.push(`${pkg}: ${name} not listed`)
      for (const name of listed)
        if (!declared.has(name)) mismatches.push(`${pkg}: ${name} listed, not declared`)
    }
    expect(mismatches).toEqual([])
  })
})
