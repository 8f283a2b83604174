/**
 * A host's configuration, validated once at start-up: who the host is (id,
 * role, labels, capacity), where it listens, which key and enrollment list
 * authenticate it, how it finds and watches its peers, and which actors the
 * domain deploys. Errors name the bad field (see {@link loadHostConfig}).
 * Relative paths are resolved against the config file's directory.
 */
import { dirname, isAbsolute, resolve } from 'node:path'
import { z } from 'zod'
import { loadConfig } from '../config/load-config.ts'
import { admissionConfigSchema } from '../gateway/admission-config.ts'
import { kernelConfigSchema } from '../kernel/kernel-config.ts'
import { hostRoleSchema } from '../rpc/enrollment-list.ts'
import { THREAD_PRIORITIES } from '../worker/thread-priority.ts'

const idPattern = /^[a-z0-9][a-z0-9-]*$/

const addressSchema = z.object({
  hostname: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('interface to bind; default 127.0.0.1 (use 0.0.0.0 to accept other machines)'),
  port: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(0)
    .describe('TCP port; 0 picks a free one (the host reports the bound port); default 0'),
})

const seedSchema = z
  .string()
  .regex(/^[^:]+:\d+$/, 'use host:port, e.g. 10.0.0.2:7400')
  .describe('RPC address (host:port) of a host to join through')

/** Where an actor should run. */
export const placementRuleSchema = z.object({
  role: hostRoleSchema.optional().describe('preferred host role; any when absent'),
  labels: z
    .record(z.string(), z.string())
    .default({})
    .describe('labels the host must carry, e.g. {camera: "cam-1"}; default none'),
  replicas: z
    .number()
    .int()
    .positive()
    .default(1)
    .describe('copies to run; more than 1 only for stateless actors; default 1'),
  fallback: z
    .enum(['any', 'same-role', 'none'])
    .default('any')
    .describe(
      "when no preferred host is alive: 'any' host, a host of the 'same-role', or 'none' (stay unplaced); default any",
    ),
  weight: z
    .number()
    .positive()
    .default(1)
    .describe('capacity units the actor uses on its host; default 1'),
})

export type PlacementRule = z.output<typeof placementRuleSchema>

/** One actor the domain deploys. */
export const actorSpecSchema = z.object({
  name: z
    .string()
    .regex(idPattern, 'lowercase letters, digits and dashes')
    .describe('actor address'),
  module: z.string().min(1).describe('module file that exports the defineActor({...}) result'),
  export: z.string().optional().describe('export name when the module has several actors'),
  args: z.unknown().optional().describe('plain-data init arguments'),
  placement: placementRuleSchema.prefault({}),
  priority: z
    .enum(THREAD_PRIORITIES)
    .optional()
    .describe(
      "its worker thread's priority (high | normal | low; high needs CAP_SYS_NICE); default the process's",
    ),
})

export type ActorSpec = z.output<typeof actorSpecSchema>

export const hostConfigSchema = z.object({
  id: z
    .string()
    .regex(idPattern, 'lowercase letters, digits and dashes')
    .describe('host id, as enrolled'),
  role: hostRoleSchema.describe('edge | fog | cloud, as enrolled'),
  labels: z
    .record(z.string(), z.string())
    .default({})
    .describe('labels used by placement, e.g. {camera: "cam-1"}; default none'),
  capacity: z
    .number()
    .positive()
    .default(8)
    .describe('capacity units (≈ actors) this host offers; default 8'),
  listen: z
    .object({ rpc: addressSchema.prefault({}), http: addressSchema.prefault({}) })
    .prefault({})
    .describe('RPC (host-to-host) and HTTP gateway addresses'),
  tls: z
    .object({
      certFile: z.string().min(1).describe('PEM certificate (chain) of the gateway'),
      keyFile: z.string().min(1).describe('PEM private key of that certificate (mode 0600)'),
    })
    .optional()
    .describe(
      "serve the gateway over HTTPS with this certificate (e.g. from 'vigil domain init'); default plain HTTP, for loopback",
    ),
  advertise: z
    .object({
      rpc: seedSchema
        .optional()
        .describe('host:port peers should dial; default the bound RPC address'),
      http: z.url().optional().describe('gateway URL to publish; default the bound HTTP address'),
    })
    .prefault({})
    .describe(
      'addresses other hosts and operators use, when they differ from the bound ones (0.0.0.0, NAT)',
    ),
  keyFile: z
    .string()
    .min(1)
    .describe("this host's Ed25519 private key (PEM), from 'vigil host keygen'"),
  enrollmentFile: z
    .string()
    .min(1)
    .describe("the domain's signed enrollment list, from 'vigil domain enroll'"),
  adminPublicKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of a 32-byte Ed25519 public key')
    .describe("the domain administrator's public key that must have signed the enrollment list"),
  adminTokenFile: z
    .string()
    .optional()
    .describe(
      'file holding the bearer token for the gateway admin routes; admin routes are off without it',
    ),
  runFile: z
    .string()
    .optional()
    .describe('where the host writes its bound addresses and pid as JSON once ready; default none'),
  seeds: z
    .array(seedSchema)
    .default([])
    .describe('hosts to join through; default none (first host)'),
  heartbeatIntervalMs: z
    .number()
    .int()
    .positive()
    .default(500)
    .describe('how often a host tells its peers it is alive, milliseconds; default 500'),
  suspicionTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(2000)
    .describe(
      'silence after which a peer is declared dead, milliseconds; a dead host is noticed within this plus one heartbeat interval; default 2000',
    ),
  connectionLossTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe(
      'a peer whose every connection closed and that was not heard again within this long is declared dead (a killed host closes its sockets at once; a silent one waits suspicionTimeoutMs), milliseconds; default 1000',
    ),
  snapshotReplicaTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe(
      "how long a peer may take to store a replica of a stateful actor's snapshot before the next peer is tried, milliseconds; default 1000",
    ),
  requestTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(5000)
    .describe('deadline of a routed request including retries, milliseconds; default 5000'),
  routeWaitLimit: z
    .number()
    .int()
    .positive()
    .default(4096)
    .describe(
      'most requests that may wait at once for a host that can take them (while a dead host is replaced); more fail at once with HOST_UNAVAILABLE; default 4096',
    ),
  gateway: z
    .object({
      admission: admissionConfigSchema
        .prefault({})
        .describe(
          'admission control: requests served at once, queued, and the queue budget; per actor where set',
        ),
      eventPollMs: z
        .number()
        .int()
        .min(10)
        .max(10_000)
        .default(250)
        .describe(
          'how often an idle server-sent event stream (GET /v1/events/…) asks its feed again, milliseconds: an event reaches a subscriber at most this much after it is raised; default 250',
        ),
    })
    .prefault({})
    .describe('HTTP gateway settings'),
  actors: z
    .array(actorSpecSchema)
    .default([])
    .describe('the actors the domain deploys; default none'),
  swappable: z
    .array(
      z
        .string()
        .min(1)
        .refine((module) => !/^[a-z][a-z0-9+.-]*:/i.test(module) || /^[a-z]:[\\/]/i.test(module), {
          message: 'a file path, not a URL',
        }),
    )
    .default([])
    .describe(
      "module files a hot swap may load besides the deployed actors' own modules (relative to the config file); nothing else is ever loaded; default none",
    ),
  deployable: z
    .record(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9./-]*$/, 'lowercase letters, digits, dots, slashes, dashes'),
      z
        .string()
        .min(1)
        .refine((module) => !/^[a-z][a-z0-9+.-]*:/i.test(module) || /^[a-z]:[\\/]/i.test(module), {
          message: 'a file path, not a URL',
        }),
    )
    .default({})
    .describe(
      'modules an operator may start as new actors on the running domain (POST /v1/admin/deploy), by key: key → module file (relative to the config file); a deploy names the key, never a path; default none',
    ),
  kernel: kernelConfigSchema
    .prefault({})
    .describe(
      'actor kernel settings (mailboxes, timeouts, supervision); edge hosts always use smol workers',
    ),
})

export type HostConfig = z.output<typeof hostConfigSchema>
export type HostConfigInput = z.input<typeof hostConfigSchema>

export type LoadHostConfigOptions = {
  file?: string | undefined
  env?: Readonly<Record<string, string | undefined>> | undefined
  overrides?: unknown
}

/** Loads and validates a host config; relative file paths resolve against the config's directory. */
export async function loadHostConfig(options: LoadHostConfigOptions): Promise<HostConfig> {
  const config = await loadConfig({
    schema: hostConfigSchema,
    file: options.file,
    env: options.env,
    overrides: options.overrides,
  })
  const base = options.file ? dirname(resolve(options.file)) : process.cwd()
  const at = (path: string) => (isAbsolute(path) ? path : resolve(base, path))
  return {
    ...config,
    keyFile: at(config.keyFile),
    enrollmentFile: at(config.enrollmentFile),
    ...(config.adminTokenFile ? { adminTokenFile: at(config.adminTokenFile) } : {}),
    ...(config.runFile ? { runFile: at(config.runFile) } : {}),
    ...(config.tls
      ? { tls: { certFile: at(config.tls.certFile), keyFile: at(config.tls.keyFile) } }
      : {}),
    actors: config.actors.map((actor) => ({
      ...actor,
      module: actor.module.startsWith('.') ? at(actor.module) : actor.module,
    })),
    swappable: config.swappable.map(at),
    deployable: Object.fromEntries(
      Object.entries(config.deployable).map(([key, module]) => [key, at(module)]),
    ),
  }
}
