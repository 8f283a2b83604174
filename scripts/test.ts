/**
 * The whole suite, as `npm test` and CI run it: Biome (lint + format check),
 * the TypeScript type check, then `bun test` over every test file.
 * Extra arguments go to `bun test` (e.g. a path filter).
 */
export {}

const steps: { name: string; cmd: string[] }[] = [
  { name: 'biome ci', cmd: ['bun', 'x', 'biome', 'ci', '.'] },
  { name: 'tsc --noEmit', cmd: ['bun', 'x', 'tsc', '--noEmit', '-p', '.'] },
  { name: 'bun test', cmd: ['bun', 'test', ...Bun.argv.slice(2)] },
]

for (const step of steps) {
  console.error(`\n== ${step.name}`)
  const started = performance.now()
  const proc = Bun.spawn(step.cmd, { stdio: ['ignore', 'inherit', 'inherit'] })
  const code = await proc.exited
  console.error(
    `== ${step.name}: exit ${code} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  if (code !== 0) process.exit(code)
}
