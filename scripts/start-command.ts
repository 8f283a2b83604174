import type { Command } from '../runtime/cli/command.ts'
import { runKernelDemo } from '../runtime/cli/kernel-demo.ts'
import { loadKernelConfig } from '../runtime/kernel/kernel-config.ts'

/** `vigil start`: what `npm start` runs. For now the kernel demo; later the one-machine domain. */
export const startCommand: Command = {
  name: 'start',
  summary: 'start vigil on this machine (for now: the actor kernel demo)',
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
      file: typeof values.config === 'string' ? values.config : undefined,
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
