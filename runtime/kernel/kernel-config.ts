/**
 * The `kernel` section of vigil's configuration: mailbox bounds, timeouts,
 * supervision limits, shutdown deadline and worker settings. Every field has
 * a documented default, so `kernelConfigSchema.parse({})` is a working config.
 * Load it once at start-up through {@link loadKernelConfig} (or compose
 * {@link kernelConfigSchema} into a larger schema) and pass it down.
 */
import { z } from 'zod'
import { loadConfig } from '../config/load-config.ts'

/** What a full mailbox does with one more message. */
export const overflowPolicySchema = z
  .enum(['reject', 'drop-oldest', 'drop-newest'])
  .describe(
    "'reject': the sender gets MailboxFullError at once; 'drop-oldest': the oldest queued message becomes a dead letter; 'drop-newest': the new message becomes a dead letter",
  )

export type OverflowPolicy = z.infer<typeof overflowPolicySchema>

export const supervisionStrategySchema = z
  .enum(['one_for_one', 'one_for_all', 'rest_for_one'])
  .describe('which siblings restart with a crashed child (OTP semantics)')

export type SupervisionStrategy = z.infer<typeof supervisionStrategySchema>

export const kernelConfigSchema = z.object({
  mailboxCapacity: z
    .number()
    .int()
    .positive()
    .default(1024)
    .describe('user messages queued per actor before overflow applies; default 1024'),
  overflow: overflowPolicySchema.default('reject').describe('overflow policy; default reject'),
  dispatchCredits: z
    .number()
    .int()
    .positive()
    .max(65_536)
    .default(256)
    .describe(
      'messages in flight to one worker (batched per postMessage); bounds what a crash or swap can catch mid-way; default 256',
    ),
  askTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(5000)
    .describe('request/reply timeout in milliseconds when the caller gives none; default 5000'),
  restartIntensity: z
    .number()
    .int()
    .nonnegative()
    .default(10)
    .describe(
      'restarts allowed per supervisor within restartPeriodMs before it escalates; default 10',
    ),
  restartPeriodMs: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('sliding window for restartIntensity, milliseconds; default 10000'),
  backoffMinMs: z
    .number()
    .int()
    .nonnegative()
    .default(10)
    .describe(
      'delay before the second restart within a period (the first is immediate), doubling per restart; milliseconds; default 10',
    ),
  backoffMaxMs: z
    .number()
    .int()
    .nonnegative()
    .default(5000)
    .describe('upper bound of the restart backoff, milliseconds; default 5000'),
  shutdownDeadlineMs: z
    .number()
    .int()
    .positive()
    .default(5000)
    .describe(
      'how long shutdown and stop drain mailboxes before giving up, milliseconds; default 5000',
    ),
  startTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(15_000)
    .describe(
      'how long a worker may take to load its module, answer the ready handshake and run init/migrate, milliseconds; default 15000',
    ),
  simulateSerialization: z
    .boolean()
    .default(true)
    .describe(
      'pass every payload and reply through msgpack encode/decode even inside one host, so values that would not survive the wire fail locally; default true',
    ),
  workerSmol: z
    .boolean()
    .default(false)
    .describe(
      'start workers with a small JavaScript heap (useful on a Raspberry Pi); default false',
    ),
  spareWorkers: z
    .number()
    .int()
    .min(0)
    .max(4)
    .default(1)
    .describe(
      'workers kept booted and idle so spawns, worker replacements and hot swaps skip VM start-up (0 = none); each costs an idle worker’s memory; default 1',
    ),
  deadLetterCapacity: z
    .number()
    .int()
    .nonnegative()
    .default(1000)
    .describe('most recent dead letters kept for inspection (all are counted); default 1000'),
  directLinkAfter: z
    .number()
    .int()
    .nonnegative()
    .default(64)
    .describe(
      'after this many messages from one actor to another on the same host, join their workers with a direct MessageChannel (no hop through the kernel thread; same validation, bounds, principal and supervision guarantees); 0 = never; default 64',
    ),
})

/** The validated kernel section. */
export type KernelConfig = z.output<typeof kernelConfigSchema>

/** The kernel section as written in a file or passed as overrides (all fields optional). */
export type KernelConfigInput = z.input<typeof kernelConfigSchema>

/** Every default, for documentation and tests. */
export const defaultKernelConfig: KernelConfig = kernelConfigSchema.parse({})

/** A config object holding only the kernel section, as read from files and `VIGIL_KERNEL__*`. */
export const kernelSectionSchema = z.object({ kernel: kernelConfigSchema.prefault({}) })

export type LoadKernelConfigOptions = {
  file?: string | undefined
  env?: Readonly<Record<string, string | undefined>> | undefined
  overrides?: KernelConfigInput | undefined
}

/** Loads the kernel section (defaults → file → `VIGIL_KERNEL__*` → overrides), validated. */
export async function loadKernelConfig(
  options: LoadKernelConfigOptions = {},
): Promise<KernelConfig> {
  const config = await loadConfig({
    schema: kernelSectionSchema,
    file: options.file,
    env: options.env,
    overrides: options.overrides === undefined ? undefined : { kernel: options.overrides },
  })
  return config.kernel
}
