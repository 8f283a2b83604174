import { type Command, loadKernelConfig, stringFlag } from '../runtime/index.ts'
import { runKernelDemo } from './kernel-demo.ts'

/** `vigil demo`: the actor kernel on its own, in one process. */
export const demoCommand: Command = {
  name: 'demo',
  summary:
    'run the actor kernel demo in this process (request/reply, crash + restart, hot swap, flood)',
  options: {
    once: { type: 'boolean', description: 'exit after the demo instead of running until Ctrl-C' },
    config: { type: 'string', description: 'config file (.json or .toml) with a [kernel] section' },
    interval: {
      type: 'string',
      description: 'seconds between counter prints while running',
      default: '10',
    },
  },
  async run({ values, out }) {
    const config = await loadKernelConfig({
      file: stringFlag(values, 'config'),
      env: Bun.env,
    })
    return runKernelDemo({
      config,
      out,
      once: values.once === true,
      intervalSeconds: Number(values.interval ?? 10) || 10,
    })
  },
}
