/**
 * Asks an actor the ENF actor depends on. Its application errors (a refused
 * record, an unknown key) pass through with their codes; its runtime
 * failures become ENF_DEPENDENCY_UNAVAILABLE, because codes such as
 * ACTOR_NOT_FOUND coming out of the ENF actor's handler would otherwise be
 * taken for the ENF actor's own (a router retries other hosts on it).
 */
import type { ActorContext } from '../../runtime/index.ts'
import { BaseError } from '../../runtime/index.ts'
import { EnfDependencyUnavailableError } from './errors.ts'

/** `context.ask`, with the dependency's runtime failures renamed. */
export async function askDependency<Reply>(
  context: ActorContext,
  actor: string,
  type: string,
  payload: unknown,
  timeoutMs: number,
): Promise<Reply> {
  try {
    return await context.ask<Reply>(actor, type, payload, { timeoutMs })
  } catch (error) {
    if (BaseError.is(error) && error.kind === 'application') throw error
    throw new EnfDependencyUnavailableError(actor, BaseError.is(error) ? error.code : 'INTERNAL')
  }
}
