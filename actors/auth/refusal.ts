/** The code and short message of a vigil error, or undefined for anything else (never a secret). */
import { BaseError } from '../../runtime/index.ts'

export function refusal(error: unknown): { code: string; reason: string } | undefined {
  if (!BaseError.is(error)) return undefined
  const e = error as BaseError
  return { code: e.code, reason: e.shortMessage }
}
