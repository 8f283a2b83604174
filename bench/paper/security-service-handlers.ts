/**
 * The five security decisions of the paper's Figure 6, as plain functions of
 * a request and the {@link ServiceWorld}, shared by the separate service
 * actors (Micro) and the single all-in-one actor (Mono), so both deployments
 * run the very same code:
 * - identity: Ed25519 signature of the client's request line checked with its
 *   registered key, then registered (node type ≠ none) and in the service's zone;
 * - access: vigil's `evaluateCapability` on the client's capability token;
 * - integrity: the record's RFC 8785 SHA-256 (`recordHash`) against the stored hash;
 * - enf: the recorder's Ed25519 signature over the canonical ENF values;
 * - privacy: vigil's privacy mirror decides what the viewer may see unscrambled.
 * Each reply carries the request's id, the decision and the handler's own time (µs).
 */
import { createHash, verify } from 'node:crypto'
import { z } from 'zod'
import { evaluateCapability } from '../../actors/access-control/index.ts'
import { canonicalJson, recordHash } from '../../actors/integrity/index.ts'
import { SERVICE_HOST, type ServiceWorld, ZONE } from './service-world.ts'

const ACCESS = { resource: '/paper', action: 'check' } as const
const id = z.number().int().nonnegative()
const reply = z.object({ id, ok: z.boolean(), us: z.number(), host: z.string() })

export const serviceProtocol = {
  'identity.verify': {
    access: ACCESS,
    payload: z.object({
      id,
      client: z.string().max(64),
      message: z.string().max(512),
      signature: z.string().max(200),
    }),
    reply,
    idempotent: true,
    description:
      'Verifies a client request signature and that the client is registered in the zone.',
  },
  'access.check': {
    access: ACCESS,
    payload: z.object({
      id,
      subject: z.string().max(64),
      resource: z.string().max(200),
      action: z.string().max(32),
    }),
    reply,
    idempotent: true,
    description: "Decides the subject's capability for resource/action now.",
  },
  'integrity.verify': {
    access: ACCESS,
    payload: z.object({
      id,
      record: z.object({
        table: z.string(),
        id: z.string(),
        data: z.record(z.string(), z.unknown()),
      }),
      hash: z.string().max(64),
    }),
    reply,
    idempotent: true,
    description: "Recomputes a record's canonical hash and compares it with the stored one.",
  },
  'enf.verify': {
    access: ACCESS,
    payload: z.object({
      id,
      values: z.array(z.number()).max(4096),
      signature: z.string().max(200),
    }),
    reply,
    idempotent: true,
    description: "Verifies the recorder's signature over the ENF values.",
  },
  'privacy.decide': {
    access: ACCESS,
    payload: z.object({ id, viewer: z.string().max(64), owner: z.string().max(64) }),
    reply,
    idempotent: true,
    description: "Decides which of the owner's attributes the viewer sees unscrambled.",
  },
} as const

type Payload<K extends keyof typeof serviceProtocol> = z.output<
  (typeof serviceProtocol)[K]['payload']
>
type State = { world: ServiceWorld; host: string }

function timed(state: State, requestId: number, decide: () => boolean) {
  const started = performance.now()
  const ok = decide()
  return {
    id: requestId,
    ok,
    us: Math.round((performance.now() - started) * 10_000) / 10,
    host: state.host,
  }
}

/** The handlers, keyed by message type. */
export const serviceHandlers = {
  'identity.verify': (p: Payload<'identity.verify'>, s: State) =>
    timed(s, p.id, () => {
      const key = s.world.clientKeys.get(p.client.toLowerCase())
      if (!key || !verify(null, Buffer.from(p.message), key, Buffer.from(p.signature, 'base64')))
        return false
      const node = s.world.identity.node(p.client)
      return node !== undefined && node.zoneId === ZONE
    }),
  'access.check': (p: Payload<'access.check'>, s: State) =>
    timed(s, p.id, () => {
      const subject = p.subject.toLowerCase()
      const node = s.world.identity.node(subject)
      const token = s.world.tokens.get(subject)
      const decision = evaluateCapability({
        node,
        token,
        resource: p.resource,
        action: p.action,
        nowMs: Date.now(),
        maxCacheMs: 0,
      })
      return decision.allowed
    }),
  'integrity.verify': (p: Payload<'integrity.verify'>, s: State) =>
    timed(s, p.id, () => recordHash(p.record, SERVICE_HOST) === p.hash.toLowerCase()),
  'enf.verify': (p: Payload<'enf.verify'>, s: State) =>
    timed(s, p.id, () =>
      verify(
        null,
        Buffer.from(canonicalJson(p.values)),
        s.world.enfKey,
        Buffer.from(p.signature, 'base64'),
      ),
    ),
  'privacy.decide': (p: Payload<'privacy.decide'>, s: State) =>
    timed(s, p.id, () => {
      const visible = s.world.privacy.visible(p.viewer, p.owner)
      // Digest of the decision, as the viewer API caches it per (viewer, owner).
      createHash('sha256').update(JSON.stringify(visible)).digest()
      return visible.faces || !visible.plates
    }),
}
