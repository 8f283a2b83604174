/**
 * Writes a vigil error as the gateway's JSON error response (`{code,
 * message}`, status and headers from error-response.ts).
 */
import type { Context } from 'hono'
import { errorResponse } from './error-response.ts'

/** Answers `error` on `c`; `statusByCode` adds a guard's codes to the status table. */
export function sendError(
  c: Context,
  error: unknown,
  statusByCode: Readonly<Record<string, number>> = {},
): Response {
  const response = errorResponse(error, statusByCode)
  for (const [name, value] of Object.entries(response.headers)) c.header(name, value)
  return c.json(response.body, response.status as 400)
}
