/**
 * HostServices for guard tests without a host: an enrollment of generated
 * host keys and an `ask` answered by the given handlers (actor → type →
 * handler), with a record of every ask.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { BaseError, type Caller, type HostServices, TestClock } from '../../../runtime/index.ts'

export type FakeHandler = (payload: unknown, caller: Caller | undefined) => unknown

export type FakeHost = {
  services: HostServices
  clock: TestClock
  keys: ReadonlyMap<
    string,
    { privateKey: KeyObject; publicKey: KeyObject; publicKeyBase64: string }
  >
  asks: { actor: string; type: string; payload: unknown }[]
}

/** Fake services of host `hostId` in a domain enrolling `hostIds`. */
export function fakeHostServices(
  handlers: Record<string, Record<string, FakeHandler>>,
  options: { hostId?: string; hostIds?: string[]; domain?: string; clock?: TestClock } = {},
): FakeHost {
  const hostId = options.hostId ?? 'fog-1'
  const clock = options.clock ?? new TestClock(1_800_000_000_000)
  const keys = new Map(
    (options.hostIds ?? [hostId, 'edge-1']).map((id) => {
      const pair = generateKeyPairSync('ed25519')
      const jwk = pair.publicKey.export({ format: 'jwk' }) as { x: string }
      const publicKeyBase64 = Buffer.from(jwk.x, 'base64url').toString('base64')
      return [id, { ...pair, publicKeyBase64 }] as const
    }),
  )
  const asks: FakeHost['asks'] = []
  const services: HostServices = {
    hostId,
    domain: options.domain ?? 'local',
    clock,
    log: () => {},
    async ask<Reply>(
      actor: string,
      type: string,
      payload: unknown,
      opts?: { caller?: Caller | undefined },
    ) {
      asks.push({ actor, type, payload })
      const handler = handlers[actor]?.[type]
      if (!handler) throw new BaseError('ACTOR_NOT_FOUND', `no fake for ${actor} ${type}`)
      return (await handler(payload, opts?.caller)) as Reply
    },
    enrollment: new Map(
      [...keys].map(([id, key]) => [id, { publicKey: key.publicKeyBase64, role: 'fog' }]),
    ),
    signingKey: (keys.get(hostId) as { privateKey: KeyObject }).privateKey,
  }
  return { services, clock, keys, asks }
}
