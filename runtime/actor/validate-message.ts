import type { Protocol } from './define-actor.ts'
import { ProtocolViolationError } from './errors.ts'

/**
 * Checks a message against an actor's declared protocol where it enters the
 * runtime. Returns the parsed payload (zod defaults and transforms applied);
 * throws ProtocolViolationError naming the unknown type or every bad field.
 */
export function validateMessage(
  actor: string,
  protocol: Protocol,
  type: string,
  payload: unknown,
): unknown {
  const spec = Object.hasOwn(protocol, type) ? protocol[type] : undefined
  if (spec === undefined) {
    throw new ProtocolViolationError(actor, type, { unknownType: Object.keys(protocol) })
  }
  const result = spec.payload.safeParse(payload)
  if (result.success) return result.data
  throw new ProtocolViolationError(actor, type, {
    issues: result.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.join('.') : '(payload)',
      message: issue.message,
    })),
  })
}
