/**
 * Options every `paper-*` scenario shares: `--quick` (a smoke run of a few
 * seconds, what `npm test` runs), `--n N` (commit samples), and a progress
 * line writer that prints the step, the offered load and the elapsed time.
 */
export type PaperOptions = {
  readonly quick: boolean
  /** Samples per commit series (default 1000, 20 with --quick). */
  readonly n: number
  readonly args: readonly string[]
}

/** The value after `--name`, as a positive number, or `fallback`; a bad value is an error that says so. */
export function numberOption(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`)
  if (at < 0) return fallback
  const value = Number(args[at + 1])
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`--${name} needs a positive number (got '${args[at + 1] ?? ''}')`)
  }
  return value
}

export function paperOptions(args: readonly string[]): PaperOptions {
  const quick = args.includes('--quick')
  return { quick, n: Math.round(numberOption(args, 'n', quick ? 20 : 1000)), args }
}

/** `log` with the seconds since the scenario started in front: `[  12.3 s] step…`. */
export function progressLog(log: (text: string) => void): (text: string) => void {
  const started = performance.now()
  return (text) => {
    const elapsed = ((performance.now() - started) / 1000).toFixed(1).padStart(6)
    log(`[${elapsed} s] ${text}`)
  }
}
