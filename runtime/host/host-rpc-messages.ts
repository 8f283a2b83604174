/**
 * Shapes of the host-to-host RPC methods, validated on arrival: an enrolled
 * peer is authenticated, not trusted to send well-formed data.
 */
import { z } from 'zod'
import { hostRoleSchema } from '../rpc/enrollment-list.ts'
import { actorSpecSchema } from './host-config.ts'

export const hostInfoSchema = z.object({
  hostId: z.string(),
  role: hostRoleSchema,
  labels: z.record(z.string().max(100), z.string().max(200)),
  capacity: z.number().positive().max(1_000_000),
  rpc: z.string(),
  http: z.string(),
  startedAt: z.number(),
  deployment: z.string().max(128),
})

/** `host.heartbeat` (one-way): the sender's own info and the members it sees alive. */
export const heartbeatSchema = z.object({
  info: hostInfoSchema,
  members: z.array(z.object({ hostId: z.string(), rpc: z.string() })).max(10_000),
})

/** Most claims a forwarded caller may carry. */
export const MAX_CALLER_CLAIMS = 32

/**
 * The caller a peer forwards with a message (runtime/actor/caller.ts),
 * bounded: the runtime carries it without reading it, so it must not grow
 * without limit.
 */
export const callerSchema = z.object({
  id: z.string().min(1).max(256),
  credential: z.string().max(8192).optional(),
  claims: z
    .record(z.string().max(64), z.string().max(1024))
    .refine((claims) => Object.keys(claims).length <= MAX_CALLER_CLAIMS, {
      message: `at most ${MAX_CALLER_CLAIMS} claims`,
    })
    .optional(),
})

/** `actor.ask` (request) and `actor.tell` (one-way). */
export const actorMessageSchema = z.object({
  actor: z.string(),
  type: z.string(),
  payload: z.unknown(),
  timeoutMs: z.number().positive().optional(),
  caller: callerSchema.optional(),
})

/** `host.swap` (request): replace an actor's code on the receiving host. */
export const swapRequestSchema = z.object({
  actor: z.string(),
  module: z.string(),
  export: z.string().optional(),
})
export type SwapRequest = z.infer<typeof swapRequestSchema>

/**
 * `actor.snapshot` (request), and a non-null `actor.snapshot.fetch` answer: a
 * signed replica of a stateful actor's snapshot (snapshot-seal.ts).
 */
export const signedSnapshotSchema = z.object({
  actor: z.string().min(1).max(200),
  kind: z.string().min(1).max(200),
  version: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
  state: z.instanceof(Uint8Array),
  signer: z.string().min(1).max(200),
  signature: z.instanceof(Uint8Array).refine((bytes) => bytes.length === 64, {
    message: 'an Ed25519 signature is 64 bytes',
  }),
})

/** `actor.snapshot.fetch` (request): the newest snapshot of an actor the receiving host holds, or null. */
export const snapshotFetchSchema = z.object({ actor: z.string().min(1).max(200) })

/** Most actors one deploy may add. */
export const MAX_DEPLOY_ACTORS = 64

/**
 * `host.deploy` (request) and `POST /v1/admin/deploy`: actors to add to the
 * running domain. `module` is a key of the hosts' `deployable` map, never a
 * path (deploy-allow-list.ts).
 */
export const deployRequestSchema = z.object({
  actors: z.array(actorSpecSchema).min(1).max(MAX_DEPLOY_ACTORS),
})
export type DeployRequest = z.input<typeof deployRequestSchema>
