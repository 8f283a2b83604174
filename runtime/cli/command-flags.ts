/**
 * Reading a command's parsed flags (`CommandContext['values']`), the same way in every CLI:
 * a string flag or nothing, every value of a repeated flag, required flags as one typed record
 * (or a {@link UsageError} that says which to give), and the long-running commands' ending
 * (print what runs, wait for Ctrl-C, stop it).
 */
import { UsageError } from './command.ts'
import { waitForStopSignal } from './wait-for-stop-signal.ts'

/** A command's parsed flags (`CommandContext['values']`, or any record of them). */
export type FlagValues = Readonly<Record<string, unknown>>

/** The value of a string flag, or undefined when it was not given. */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

/** Every value of a repeated (`multiple`) string flag; none given: `[]`. */
export function stringFlags(values: FlagValues, name: string): string[] {
  const value = values[name]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** The named string flags, or a UsageError: `message`, else `--a and --b are required`. */
export function requireFlags<const Name extends string>(
  values: FlagValues,
  names: readonly Name[],
  message = `${names.map((name) => `--${name}`).join(' and ')} ${names.length === 1 ? 'is' : 'are'} required`,
): Record<Name, string> {
  const found = {} as Record<Name, string>
  for (const name of names) {
    const value = stringFlag(values, name)
    if (value === undefined) throw new UsageError(message)
    found[name] = value
  }
  return found
}

/** A required, non-empty string flag, or a UsageError naming it. */
export function requiredFlag(values: FlagValues, name: string): string {
  const value = stringFlag(values, name)
  if (value === undefined || value.length === 0) throw new UsageError(`--${name} is required`)
  return value
}

export type ServeUntilStoppedOptions = {
  out: (text: string) => void
  /** Printed first, as one JSON line (what a script reads: URLs, files, ids). */
  started: unknown
  /** What runs, for the `<what> running; press Ctrl-C to stop` line. */
  what: string
  stop: () => Promise<void>
}

/** Ends a long-running command: prints what started, waits for SIGINT/SIGTERM, stops it; exit 0. */
export async function serveUntilStopped(options: ServeUntilStoppedOptions): Promise<number> {
  options.out(JSON.stringify(options.started))
  options.out(`${options.what} running; press Ctrl-C to stop`)
  await waitForStopSignal()
  await options.stop()
  return 0
}
