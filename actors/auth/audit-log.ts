/**
 * The security audit log: one JSON object per line, appended to a file
 * operators read (`vigil audit tail`). Every refusal by the gateway guard
 * and every administrative action is written with who (principal, or
 * `anonymous`), what (actor, message, resource/action), when (ISO time from
 * the injected clock), where (host) and why (code, reason). Never tokens,
 * signatures, keys or payloads. Lines are buffered and appended once per
 * event-loop turn, so a flood of refusals costs one write per turn, not
 * per request.
 */
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Clock } from '../../runtime/index.ts'

/** One audit entry, as written (plus `ts` and `host`). */
export type AuditEntry = {
  /** `refused`, `admin`, `sign_in`, `sign_out`, `revoke`, `caller_refused`… */
  readonly event: string
  readonly principal: string
  readonly actor?: string | undefined
  readonly message?: string | undefined
  readonly resource?: string | undefined
  readonly action?: string | undefined
  readonly code?: string | undefined
  readonly reason?: string | undefined
  /** How the principal authenticated: `session`, `rfc9421`, `host-rpc`, `anonymous`. */
  readonly via?: string | undefined
  readonly peer?: string | undefined
}

export type AuditLog = {
  write(entry: AuditEntry): void
  /** Resolves once every written line is in the file. */
  flush(): Promise<void>
}

export type AuditLogOptions = {
  /** The JSON-lines file (created with its folder). */
  file: string
  host: string
  clock: Clock
}

/** An audit log appending to `options.file`. */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  let buffer: string[] = []
  let writing: Promise<void> = mkdir(dirname(options.file), { recursive: true }).then(() => {})
  let scheduled = false
  const drain = () => {
    scheduled = false
    const lines = buffer
    buffer = []
    if (lines.length === 0) return writing
    writing = writing.then(() => appendFile(options.file, lines.join(''), { mode: 0o640 }))
    return writing
  }
  return {
    write(entry) {
      const ts = new Date(options.clock.now()).toISOString()
      buffer.push(`${JSON.stringify({ ts, host: options.host, ...entry })}\n`)
      if (!scheduled) {
        scheduled = true
        setImmediate(drain)
      }
    },
    async flush() {
      await drain()
    },
  }
}

/** An audit log that keeps entries in memory (tests). */
export function createMemoryAuditLog(): AuditLog & { readonly entries: AuditEntry[] } {
  const entries: AuditEntry[] = []
  return { entries, write: (entry) => void entries.push(entry), flush: async () => {} }
}
