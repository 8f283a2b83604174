/**
 * The ENF actor's error boundary. Lower layers may put file contents, ffmpeg
 * diagnostics or host paths into an error's `details` or its cause chain
 * (node:fs messages quote paths), and both travel to HTTP callers. What
 * leaves a handler keeps only the code, the message that says what to fix,
 * the kind and the meta data; anything that is not a vigil error becomes
 * INTERNAL with a fixed message (the host log gets its name).
 */
import { BaseError, toWireError } from '../../runtime/index.ts'

/** The error as a caller may see it: no details, no cause. */
export function scrubError(error: unknown): BaseError {
  if (!BaseError.is(error)) {
    return new BaseError('INTERNAL', 'The ENF actor failed unexpectedly; see the host log', {
      kind: 'runtime',
    })
  }
  const wire = toWireError(error)
  return new BaseError(wire.code, wire.shortMessage, {
    kind: wire.kind,
    meta: wire.meta,
    docsPath: wire.docsPath,
  })
}
