import type { Command } from '../runtime/cli/command.ts'

/** `vigil start`: what `npm start` runs. Replaced by the one-machine domain as issues land. */
export const startCommand: Command = {
  name: 'start',
  summary: 'start vigil on this machine with its embedded default',
  run({ out }) {
    out('vigil: nothing to start yet')
    return 0
  },
}
