/**
 * In-process stand-ins for the identity and access-control actors (a table
 * of registered addresses and rights) and the real auth actor's handlers
 * run without a worker, for guard and route tests.
 */
import { BaseError, type Clock } from '../../../runtime/index.ts'
import { authActor } from '../auth-actor.ts'
import type { AuthArgs } from '../protocol.ts'
import type { FakeHandler } from './fake-host-services.ts'

export type FakeDirectory = {
  /** address → zone of registered addresses. */
  registered: Map<string, string>
  /** `${subject} ${resource} ${action}` granted. */
  rights: Set<string>
}

export function fakeDirectory(): FakeDirectory {
  return { registered: new Map(), rights: new Set() }
}

/** identity.resolve / identity.host_of_key and access.check answered from the directory. */
export function fakeSecurityActors(
  directory: FakeDirectory,
  clock: Clock,
  hostAddresses: Record<string, string> = {},
): Record<string, Record<string, FakeHandler>> {
  return {
    identity: {
      'identity.resolve': (payload) => {
        const address = (payload as { address: string }).address.toLowerCase()
        const zone = directory.registered.get(address)
        return zone
          ? { address, registered: true, nodeType: 'User', zone, block: 1 }
          : { address, registered: false, block: 1 }
      },
      'identity.host_of_key': (payload) => {
        const entry = Object.entries(hostAddresses).find(
          ([, key]) => key === (payload as { publicKey: string }).publicKey,
        )
        const address = entry?.[0]
        return address && directory.registered.has(address)
          ? { hostId: 'h', address, registered: true }
          : { registered: false }
      },
    },
    'access-control': {
      'access.check': (payload) => {
        const { subject, resource, action } = payload as {
          subject: string
          resource: string
          action: string
        }
        const validUntilMs = clock.now() + 60_000
        if (!directory.registered.has(subject)) {
          return { allowed: false, code: 'ACCESS_NOT_REGISTERED', validUntilMs, block: 1 }
        }
        if (resource.startsWith('/zone-b') && directory.registered.get(subject) !== 'zone-b') {
          return { allowed: false, code: 'ACCESS_OTHER_ZONE', validUntilMs, block: 1 }
        }
        const allowed = directory.rights.has(`${subject} ${resource} ${action}`)
        return allowed
          ? { allowed, validUntilMs, block: 1 }
          : { allowed, code: 'ACCESS_DENIED', validUntilMs, block: 1 }
      },
    },
  }
}

/** The auth actor's handlers over one in-memory state, asking `others` for identity. */
export async function inProcessAuthActor(
  args: AuthArgs,
  clock: Clock,
  others: Record<string, Record<string, FakeHandler>>,
): Promise<Record<string, FakeHandler>> {
  const context = {
    self: 'auth',
    clock,
    caller: undefined,
    log: () => {},
    ask: async <Reply>(actor: string, type: string, payload: unknown) => {
      const handler = others[actor]?.[type]
      if (!handler) throw new BaseError('ACTOR_NOT_FOUND', `no fake for ${actor}`)
      return (await handler(payload, undefined)) as Reply
    },
    tell: () => {},
  }
  const state = await authActor.init(args, context)
  const receive = authActor.receive as unknown as Record<
    string,
    (payload: unknown, state: unknown, context: unknown) => unknown
  >
  return Object.fromEntries(
    Object.keys(receive).map((type) => [
      type,
      (payload: unknown) =>
        (receive[type] as (p: unknown, s: unknown, c: unknown) => unknown)(
          payload ?? {},
          state,
          context,
        ),
    ]),
  )
}
