/**
 * The whole suite, as `npm test` and CI run it: Biome (lint + format check),
 * the TypeScript type check, then `bun test` over every test file.
 * Extra arguments go to `bun test` (e.g. a path filter). Ends with one plain
 * `tests: N passed, N failed` line so CI can read the outcome.
 */
export {}

const steps: { name: string; cmd: string[] }[] = [
  { name: 'biome ci', cmd: [process.execPath, 'x', 'biome', 'ci', '.'] },
  { name: 'tsc --noEmit', cmd: [process.execPath, 'x', 'tsc', '--noEmit', '-p', '.'] },
]

for (const step of steps) {
  console.error(`\n== ${step.name}`)
  const started = performance.now()
  const proc = Bun.spawn(step.cmd, { stdio: ['ignore', 'inherit', 'inherit'] })
  const code = await proc.exited
  console.error(`== ${step.name}: exit ${code} in ${seconds(started)} s`)
  if (code !== 0) process.exit(code)
}

console.error('\n== bun test')
const started = performance.now()
const proc = Bun.spawn([process.execPath, 'test', '--timeout', '60000', ...Bun.argv.slice(2)], {
  stdio: ['ignore', 'inherit', 'pipe'],
})
// bun test writes its report to stderr: pass it through and keep the tail for the summary.
let tail = ''
const decoder = new TextDecoder()
for await (const chunk of proc.stderr) {
  process.stderr.write(chunk)
  tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4096)
}
const code = await proc.exited
const passed = Number(/(\d+) pass\b/.exec(tail)?.[1] ?? 0)
const failed = Number(/(\d+) fail\b/.exec(tail)?.[1] ?? 0)
console.error(`== bun test: exit ${code} in ${seconds(started)} s`)
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(code === 0 && failed === 0 ? 0 : code || 1)

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1)
}
