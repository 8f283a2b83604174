/**
 * The dependency rules of the code base, checked on every run:
 * - runtime/ knows nothing about security, chains or ENF: it never imports actors/, ledger/,
 *   contracts/ or wasm/;
 * - actors/ reach the ledgers only through ledger/protocol.ts (and receipt helpers in ledger/merkle/);
 * - nothing imports another folder's internal/ modules;
 * - runtime/ holds no demo composition: it never imports scripts/;
 * - production code in runtime/ and scripts/ never imports test fixtures or runtime/testing/;
 * - no default exports outside config files.
 */
import { describe, expect, test } from 'bun:test'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dir, '..')
const sources = [
  ...new Bun.Glob('{actors,runtime,ledger,contracts,wasm,bench,scripts}/**/*.ts').scanSync(root),
]
  .filter((file) => !file.includes('node_modules'))
  .map((file) => join(root, file))

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function importsOf(file: string, text: string): string[] {
  const out: string[] = []
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2]
    if (specifier?.startsWith('.')) out.push(relative(root, resolve(dirname(file), specifier)))
  }
  return out
}

const graph = await Promise.all(
  sources.map(async (file) => {
    const text = await Bun.file(file).text()
    return { file: relative(root, file), imports: importsOf(file, text), text }
  }),
)

describe('architecture', () => {
  test('runtime/ imports nothing from actors/, ledger/, contracts/ or wasm/', () => {
    const violations = graph
      .filter((m) => m.file.startsWith('runtime/'))
      .flatMap((m) =>
        m.imports
          .filter((i) => /^(actors|ledger|contracts|wasm)\//.test(i))
          .map((i) => `${m.file} → ${i}`),
      )
    expect(violations).toEqual([])
  })

  test('runtime/ imports nothing from scripts/ (the demo composition lives there)', () => {
    const violations = graph
      .filter((m) => m.file.startsWith('runtime/'))
      .flatMap((m) =>
        m.imports.filter((i) => i.startsWith('scripts/')).map((i) => `${m.file} → ${i}`),
      )
    expect(violations).toEqual([])
  })

  test('production code in runtime/ and scripts/ runs no test fixture or testing helper', () => {
    const production = (file: string) =>
      /^(runtime|scripts)\//.test(file) &&
      !/\.(test|conformance)\.ts$/.test(file) &&
      !/(^|\/)(testing|fixtures)\//.test(file) &&
      !file.endsWith('-fixture.ts')
    const violations = graph
      .filter((m) => production(m.file))
      .flatMap((m) =>
        m.imports
          .filter((i) => /(^|\/)(testing|fixtures)\//.test(i) || i.endsWith('-fixture.ts'))
          .map((i) => `${m.file} → ${i}`),
      )
    // Also a fixture named by path (a module spawned in a worker is never imported).
    const named = graph
      .filter((m) => production(m.file) && /['"`](fixtures|[^'"`]*-fixture\.ts)['"`]/.test(m.text))
      .map((m) => `${m.file} names a fixture`)
    expect([...violations, ...named]).toEqual([])
  })

  test('actors/ use the ledgers only through ledger/protocol.ts and ledger/merkle/', () => {
    const violations = graph
      .filter((m) => m.file.startsWith('actors/') && !m.file.endsWith('.test.ts'))
      .flatMap((m) =>
        m.imports
          .filter((i) => i.startsWith('ledger/'))
          .filter((i) => !/^ledger\/(protocol|merkle\/)/.test(i))
          .map((i) => `${m.file} → ${i}`),
      )
    expect(violations).toEqual([])
  })

  test('no module imports another folder’s internal/ modules', () => {
    const violations = graph.flatMap((m) =>
      m.imports
        .filter((i) => i.includes('/internal/'))
        .filter((i) => !m.file.startsWith(i.slice(0, i.indexOf('/internal/'))))
        .map((i) => `${m.file} → ${i}`),
    )
    expect(violations).toEqual([])
  })

  test('no source file has a default export', () => {
    const offenders = graph.filter((m) => /^export default /m.test(m.text)).map((m) => m.file)
    expect(offenders).toEqual([])
  })
})
