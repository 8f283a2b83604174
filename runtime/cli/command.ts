/**
 * A small command tree for the `vigil` CLI: every level answers `--help`,
 * unknown commands and bad flags exit with a message that says what to use.
 * Domain-free: subcommands are defined beside what they drive (runtime/,
 * ledger/, contracts/, actors/) and assembled in scripts/vigil.ts.
 */
import { parseArgs } from 'node:util'

export type OptionSpec = {
  type: 'string' | 'boolean'
  short?: string | undefined
  description: string
  multiple?: boolean | undefined
  default?: string | boolean | undefined
}

export type CommandContext = {
  /** Parsed flags (strings or booleans; arrays for `multiple`). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>
  positionals: string[]
  /** Writes to stdout (results); the CLI's only output channel besides stderr. */
  out: (text: string) => void
  err: (text: string) => void
}

export type Command = {
  name: string
  summary: string
  /** Usage line after the command path, e.g. `<file> [--json]`. */
  usage?: string | undefined
  options?: Record<string, OptionSpec> | undefined
  subcommands?: Command[] | undefined
  /** Returns the exit code (default 0). */
  run?: ((context: CommandContext) => Promise<number | undefined> | number | undefined) | undefined
}

export class UsageError extends Error {
  override name = 'UsageError'
}

export function formatHelp(command: Command, path: string[]): string {
  const lines = [`${path.join(' ')} — ${command.summary}`, '']
  const usage = command.subcommands?.length
    ? `${path.join(' ')} <command> [options]`
    : `${path.join(' ')} ${command.usage ?? ''}`.trimEnd()
  lines.push(`Usage: ${usage}`)
  if (command.subcommands?.length) {
    lines.push('', 'Commands:')
    const width = Math.max(...command.subcommands.map((c) => c.name.length))
    for (const sub of command.subcommands) lines.push(`  ${sub.name.padEnd(width)}  ${sub.summary}`)
  }
  const options = {
    ...(command.options ?? {}),
    help: { type: 'boolean', short: 'h', description: 'show this help' },
  }
  lines.push('', 'Options:')
  for (const [name, spec] of Object.entries(options) as [string, OptionSpec][]) {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' <value>' : ''}`
    const fallback = spec.default !== undefined ? ` (default: ${String(spec.default)})` : ''
    lines.push(`  ${flag.padEnd(28)} ${spec.description}${fallback}`)
  }
  if (command.subcommands?.length)
    lines.push('', `Run '${path.join(' ')} <command> --help' for more.`)
  return lines.join('\n')
}

type CommandIo = { out: (text: string) => void; err: (text: string) => void }

/** Runs the command tree on `argv` (without the program name); returns the exit code. */
export async function runCommand(
  root: Command,
  argv: string[],
  io: CommandIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  },
): Promise<number> {
  const found = findCommand(root, argv, io)
  if (typeof found === 'number') return found
  const { command, path, rest } = found
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseCommandArgs(command, rest)
  } catch (error) {
    io.err(`${path.join(' ')}: ${(error as Error).message}\n\n${formatHelp(command, path)}`)
    return 2
  }
  if (parsed.values.help) {
    io.out(formatHelp(command, path))
    return 0
  }
  if (!command.run) {
    io.out(formatHelp(command, path))
    return 2
  }
  try {
    const code = await command.run({
      values: parsed.values as CommandContext['values'],
      positionals: parsed.positionals,
      out: io.out,
      err: io.err,
    })
    return code ?? 0
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${path.join(' ')}: ${error.message}\n\nRun '${path.join(' ')} --help' for usage.`)
      return 2
    }
    const message = error instanceof Error ? error.message : String(error)
    io.err(`${path.join(' ')} failed: ${message}`)
    return 1
  }
}

/**
 * Walks subcommand names down from `root`; the command reached with its
 * path and remaining arguments, or the exit code after help or an unknown name.
 */
function findCommand(
  root: Command,
  argv: string[],
  io: CommandIo,
): { command: Command; path: string[]; rest: string[] } | number {
  let command = root
  const path = [root.name]
  let rest = argv
  while (command.subcommands?.length) {
    const [next, ...tail] = rest
    if (next === undefined || next === '--help' || next === '-h' || next === 'help') {
      io.out(formatHelp(command, path))
      return next === undefined && !command.run ? 2 : 0
    }
    const sub = command.subcommands.find((c) => c.name === next)
    if (!sub) {
      io.err(
        `unknown command '${next}' for '${path.join(' ')}'. Available: ${command.subcommands.map((c) => c.name).join(', ')}`,
      )
      return 2
    }
    command = sub
    path.push(sub.name)
    rest = tail
  }
  return { command, path, rest }
}

/** Parses `args` against the command's options (plus `--help`); throws on an unknown or bad flag. */
function parseCommandArgs(command: Command, args: string[]): ReturnType<typeof parseArgs> {
  const options: Record<string, OptionSpec> = {
    ...(command.options ?? {}),
    help: { type: 'boolean', short: 'h', description: 'show this help' },
  }
  return parseArgs({
    args,
    options: Object.fromEntries(
      Object.entries(options).map(([name, spec]) => [
        name,
        {
          type: spec.type,
          ...(spec.short ? { short: spec.short } : {}),
          ...(spec.multiple ? { multiple: true } : {}),
          ...(spec.default !== undefined ? { default: spec.default } : {}),
        },
      ]),
    ) as Parameters<typeof parseArgs>[0] extends infer P
      ? P extends { options?: infer O }
        ? O
        : never
      : never,
    allowPositionals: true,
    strict: true,
  })
}
