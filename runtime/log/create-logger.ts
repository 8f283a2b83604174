/**
 * Structured logging for host processes: every entry is an event name plus
 * plain data. Readable lines by default (`12:00:01.234 fog-1 rpc.connection_open peer=edge-1`),
 * one JSON object per line with `json: true` (for machines and the
 * one-machine domain launcher). Library code takes a `Log` function and
 * never writes to the console itself.
 */

/** Logs one event. Data must be plain and must never hold secrets. */
export type Log = (event: string, data?: Record<string, unknown>) => void

export type LoggerOptions = {
  /** Who logs (host id). */
  source: string
  json: boolean
  write?: ((line: string) => void) | undefined
  now?: (() => number) | undefined
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value
  return JSON.stringify(value)
}

/** Creates a logger writing to stdout (or `write`). */
export function createLogger(options: LoggerOptions): Log {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`))
  const now = options.now ?? Date.now
  return function log(event, data = {}) {
    const at = now()
    if (options.json) {
      write(
        JSON.stringify({ ts: new Date(at).toISOString(), host: options.source, event, ...data }),
      )
      return
    }
    const time = new Date(at).toISOString().slice(11, 23)
    const fields = Object.entries(data)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${formatValue(value)}`)
      .join(' ')
    write(`${time} ${options.source} ${event}${fields ? ` ${fields}` : ''}`)
  }
}
