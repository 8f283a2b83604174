import { describe, expect, test } from 'bun:test'
import { type Command, runCommand } from './command.ts'

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err }
}

const tree: Command = {
  name: 'vigil',
  summary: 'root',
  subcommands: [
    {
      name: 'enf',
      summary: 'ENF tools',
      subcommands: [
        {
          name: 'extract',
          summary: 'extract ENF',
          usage: '<file> [--json]',
          options: { json: { type: 'boolean', description: 'print JSON' } },
          run: ({ positionals, values, out }) => {
            out(JSON.stringify({ file: positionals[0], json: values.json ?? false }))
            return 0
          },
        },
      ],
    },
  ],
}

describe('runCommand', () => {
  test('answers --help on every level', async () => {
    for (const argv of [['--help'], ['enf', '--help'], ['enf', 'extract', '--help']]) {
      const { io, out } = capture()
      expect(await runCommand(tree, argv, io)).toBe(0)
      expect(out.join('\n')).toContain('Usage:')
    }
  })

  test('runs a leaf command with its flags and positionals', async () => {
    const { io, out } = capture()
    expect(await runCommand(tree, ['enf', 'extract', 'a.wav', '--json'], io)).toBe(0)
    expect(JSON.parse(out[0] as string)).toEqual({ file: 'a.wav', json: true })
  })

  test('rejects unknown commands and flags with exit 2 and a hint', async () => {
    const unknown = capture()
    expect(await runCommand(tree, ['nope'], unknown.io)).toBe(2)
    expect(unknown.err.join('')).toContain('Available: enf')
    const flag = capture()
    expect(await runCommand(tree, ['enf', 'extract', '--bogus'], flag.io)).toBe(2)
    expect(flag.err.join('')).toContain('bogus')
  })
})
