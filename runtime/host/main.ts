/**
 * Process entry of a vigil host: `bun runtime/host/main.ts --config <file> [--json]`.
 * The same as `vigil host start`; the one-machine domain launches hosts with it.
 */
import { parseArgs } from 'node:util'
import { runHost } from './run-host.ts'

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
})
if (!values.config) {
  console.error('usage: bun runtime/host/main.ts --config <file> [--json]')
  process.exit(2)
}
try {
  await runHost({ configFile: values.config, json: values.json === true, env: Bun.env })
  process.exit(0)
} catch (error) {
  console.error(`vigil host failed to start: ${(error as Error).message}`)
  process.exit(1)
}
