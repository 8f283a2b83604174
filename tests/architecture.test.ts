/**
 * The dependency rules of the code base, checked on every run (docs/architecture.md draws them):
 * - a package is a top-level folder (runtime/, ledger/, contracts/, wasm/, bench/, scripts/,
 *   tests/), one service folder under actors/ (actors/<service>/), or a testing/ folder (test
 *   helpers); a module imports another package only through that package's `index.ts`;
 * - runtime/ knows nothing about security, chains or ENF: it never imports actors/, ledger/,
 *   contracts/ or wasm/, nor scripts/ (the demo composition lives there);
 * - contracts/ is a leaf (Solidity sources, the compiler, generated ABIs): it imports no other package;
 * - production code never imports a testing/ module (tests, fixtures, conformance suites and
 *   benchmarks may);
 * - nothing imports another folder's internal/ modules;
 * - no default exports outside config files.
 */
import { describe, expect, test } from 'bun:test'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dir, '..')
const sources = [
  ...new Bun.Glob('{actors,runtime,ledger,contracts,wasm,bench,scripts,tests}/**/*.ts').scanSync(
    root,
  ),
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

/** The package a repository path belongs to. */
function packageOf(path: string): string {
  const helpers = /\/(testing|fixtures)\//.exec(path)
  if (helpers) return path.slice(0, helpers.index + helpers[0].length - 1)
  const [top, second] = path.split('/')
  if (top === 'actors' && second !== undefined && path.split('/').length > 2) {
    return `actors/${second}`
  }
  return top as string
}

/** Entry points other packages may name directly (the CLI, run as a program by tests). */
const ENTRY_POINTS = new Set(['scripts/vigil.ts'])

/** Test code: may use testing/ helpers. */
function isTestCode(file: string): boolean {
  return (
    file.startsWith('tests/') ||
    file.startsWith('bench/') ||
    /\.(test|conformance)\.ts$/.test(file) ||
    file.endsWith('-fixture.ts') ||
    file.includes('/testing/') ||
    file.includes('/fixtures/')
  )
}

const graph = await Promise.all(
  sources.map(async (file) => {
    const text = await Bun.file(file).text()
    return { file: relative(root, file), imports: importsOf(file, text), text }
  }),
)

function violations(rule: (file: string, target: string) => boolean): string[] {
  return graph.flatMap((m) =>
    m.imports.filter((i) => rule(m.file, i)).map((i) => `${m.file} → ${i}`),
  )
}

describe('architecture', () => {
  test('modules import other packages only through their index.ts', () => {
    const deep = violations((file, target) => {
      const from = packageOf(file)
      const to = packageOf(target)
      if (from === to || target.endsWith('.json') || ENTRY_POINTS.has(target)) return false
      if (from.startsWith(`${to}/`)) return false
      // scripts/ is the application (composition, CLI), not a library: tests and benchmarks run it.
      if (to === 'scripts' && /^(tests|bench)$/.test(from.split('/')[0] as string)) return false
      return !target.endsWith('/index.ts') || packageOf(target) !== dirname(target)
    })
    expect(deep).toEqual([])
  })

  test('runtime/ imports nothing from actors/, ledger/, contracts/ or wasm/', () => {
    const found = violations(
      (file, target) =>
        file.startsWith('runtime/') && /^(actors|ledger|contracts|wasm)\//.test(target),
    )
    expect(found).toEqual([])
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

  test('contracts/ is a leaf: it imports no other package', () => {
    const found = violations(
      (file, target) => file.startsWith('contracts/') && !target.startsWith('contracts/'),
    )
    expect(found).toEqual([])
  })

  test('production code imports no testing/ module', () => {
    const found = violations(
      (file, target) =>
        !isTestCode(file) && (target.includes('/testing/') || target.includes('/fixtures/')),
    )
    expect(found).toEqual([])
  })

  test('no module imports another folder’s internal/ modules', () => {
    const found = violations(
      (file, target) =>
        target.includes('/internal/') &&
        !file.startsWith(target.slice(0, target.indexOf('/internal/'))),
    )
    expect(found).toEqual([])
  })

  test('the default suite reads no data from outside the repository (full-data helpers only in tests/full-data/)', () => {
    const offenders = graph
      .filter((m) => m.file.endsWith('.test.ts'))
      .filter((m) => /\b(enfDataPath|loadEnfWav|sharedDataDir|findSharedDataDir)\(/.test(m.text))
      .map((m) => m.file)
    expect(offenders).toEqual([])
  })

  test('no source file has a default export', () => {
    const offenders = graph.filter((m) => /^export default /m.test(m.text)).map((m) => m.file)
    expect(offenders).toEqual([])
  })
})
