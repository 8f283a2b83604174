/**
 * Process entry of a host of a secured domain:
 * `bun scripts/secure-host-main.ts --config <host.json> [--json] --security <security.json>`,
 * where security.json holds {@link SecurityPluginOptions} (at least
 * `auditFile`). The one-machine domain (`vigil start`) launches its hosts
 * with it; `runtime/host/main.ts` stays the open, plugin-free entry.
 */
import { parseArgs } from 'node:util'
import { runHost } from '../runtime/index.ts'
import { type SecurityPluginOptions, securityPlugins } from './security-plugins.ts'

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    config: { type: 'string' },
    json: { type: 'boolean', default: false },
    security: { type: 'string' },
  },
})
if (!values.config || !values.security) {
  console.error('usage: bun scripts/secure-host-main.ts --config <file> --security <file> [--json]')
  process.exit(2)
}
try {
  const options = (await Bun.file(values.security).json()) as SecurityPluginOptions
  if (typeof options.auditFile !== 'string') throw new Error(`${values.security} needs auditFile`)
  await runHost({
    configFile: values.config,
    json: values.json === true,
    env: Bun.env,
    plugins: securityPlugins(options),
  })
  process.exit(0)
} catch (error) {
  console.error(`vigil host failed to start: ${(error as Error).message}`)
  process.exit(1)
}
