/**
 * In-process fuzzing of a host's RPC decoder, layer by layer, with random
 * and mutated msgpack frames (fast-check cases, then byte mutations):
 *
 * - framing: the length-prefixed {@link FrameDecoder}, fed in random chunks;
 * - handshake: {@link acceptHandshake} reading a hello and a finish;
 * - session: an {@link RpcConnection} receiving sealed frames whose plaintext
 *   is fuzzed, served by the real host RPC handler over a stand-in kernel.
 *
 * A rejection must be a typed vigil error (framing, handshake) or a closed
 * connection / error reply with a code other than INTERNAL (session); an
 * exception escaping the decoder or an unhandled rejection is a crash.
 */
import fc from 'fast-check'
import { BaseError } from '../errors/base-error.ts'
import { refuseUncredentialedCallers } from '../host/admit-remote-caller.ts'
import { hostRpcHandler } from '../host/host-rpc-handler.ts'
import { heartbeatSchema } from '../host/host-rpc-messages.ts'
import type { HostStatus } from '../host/host-status.ts'
import type { ActorSystem } from '../kernel/actor-system.ts'
import { RpcFrameMalformedError } from '../rpc/errors.ts'
import { encodeFrame, FrameDecoder } from '../rpc/frame-codec.ts'
import { acceptHandshake } from '../rpc/handshake.ts'
import { HANDSHAKE_MAX_FRAME_BYTES } from '../rpc/handshake-channel.ts'
import { createTestEnrollment } from '../rpc/test-enrollment.ts'
import { FuzzRandom, mutateBytes } from './fuzz-bytes.ts'
import { countOutcome, type FuzzReport, newFuzzReport, recordFinding } from './fuzz-report.ts'
import { loneSnapshotReplicas } from './lone-snapshot-replicas.ts'
import { handshakePayload, sessionPlaintext } from './rpc-fuzz-cases.ts'
import { SessionFuzzTarget } from './session-fuzz-target.ts'

export type RpcDecoderFuzzOptions = {
  seed: number
  frames: number
}

/** Cases per batch, fresh fast-check cases per batch and layer, and the corpus they join. */
const BATCH = 2000
const FRESH = 32
const CORPUS = 2048

/** Runs `frames` cases, a third per layer; returns what they found. */
export async function fuzzRpcDecoder(options: RpcDecoderFuzzOptions): Promise<FuzzReport> {
  const report = newFuzzReport(options.seed)
  const random = new FuzzRandom(options.seed)
  const test = createTestEnrollment({ 'fog-1': 'fog', 'fuzz-peer': 'edge' })
  const session = new SessionFuzzTarget(fuzzHandler(), report)
  const corpus = { hello: [] as Uint8Array[], plain: [] as Uint8Array[] }
  const unhandled = (reason: unknown) =>
    recordFinding(report, 'crash', `unhandled rejection: ${String(reason)}`)
  process.on('unhandledRejection', unhandled)
  try {
    for (let batch = 0; report.cases < options.frames; batch++) {
      // Fresh fast-check cases join a rolling corpus; most frames are mutations of it.
      const seed = options.seed + batch
      corpus.hello.push(...fc.sample(handshakePayload, { seed, numRuns: FRESH }))
      corpus.plain.push(...fc.sample(sessionPlaintext, { seed, numRuns: FRESH }))
      if (corpus.hello.length > CORPUS) corpus.hello.splice(0, FRESH)
      if (corpus.plain.length > CORPUS) corpus.plain.splice(0, FRESH)
      for (let i = 0; i < BATCH && report.cases < options.frames; i++) {
        const layer = report.cases % 3
        const where = `seed ${seed} case ${i} layer ${layer}`
        const payload = random.pick(layer === 2 ? corpus.plain : corpus.hello)
        const bytes = random.int(8) === 0 ? payload : mutateBytes(payload, random)
        report.cases++
        if (layer === 0) fuzzFraming(bytes, random, report, where)
        else if (layer === 1) {
          const finish = mutateBytes(random.pick(corpus.hello), random)
          await fuzzHandshake(bytes, finish, test, report, where)
        } else session.push(bytes, random, where)
      }
      await session.settle()
    }
  } finally {
    process.off('unhandledRejection', unhandled)
    session.close()
  }
  return report
}

function fuzzFraming(payload: Uint8Array, random: FuzzRandom, report: FuzzReport, where: string) {
  // Sometimes the length prefix itself is mutated (huge, zero, short).
  const framed = encodeFrame(payload)
  const bytes = random.int(4) === 0 ? mutateBytes(framed.subarray(0, 8), random) : framed
  const decoder = new FrameDecoder(HANDSHAKE_MAX_FRAME_BYTES)
  try {
    let offset = 0
    while (offset < bytes.length) {
      const size = 1 + random.int(bytes.length - offset)
      decoder.push(bytes.subarray(offset, offset + size))
      offset += size
    }
    countOutcome(report, 'accepted')
  } catch (error) {
    classify(error, report, `framing ${where}`)
  }
}

async function fuzzHandshake(
  hello: Uint8Array,
  finish: Uint8Array,
  test: ReturnType<typeof createTestEnrollment>,
  report: FuzzReport,
  where: string,
): Promise<void> {
  const frames = [hello, finish]
  try {
    await acceptHandshake(
      {
        send() {},
        receive: async () => {
          const next = frames.shift()
          if (!next) throw new RpcFrameMalformedError('fuzz: no more frames')
          return next
        },
      },
      { hostId: 'fog-1', key: test.keys['fog-1'] as never, enrollment: test.enrollment },
    )
    recordFinding(report, 'crash', `handshake accepted a fuzzed peer (${where})`)
  } catch (error) {
    classify(error, report, `handshake ${where}`)
  }
}

/** Counts a rejection by code; anything that is not a typed vigil error is unclear. */
function classify(error: unknown, report: FuzzReport, where: string): void {
  if (!(error instanceof BaseError)) {
    recordFinding(report, 'unclear', `${where}: ${String(error)}`)
    return
  }
  countOutcome(report, error.code)
  if (error.code === 'INTERNAL') recordFinding(report, 'unclear', `${where}: ${error.message}`)
}

/** The real host RPC handler over a stand-in kernel that runs one actor, `echo`. */
function fuzzHandler() {
  const system = {
    has: (actor: string) => actor === 'echo',
    ask: async (_actor: string, type: string, payload: unknown) => {
      if (type !== 'echo.say') throw new BaseError('PROTOCOL_VIOLATION', `unknown type ${type}`)
      return payload
    },
    tell: () => {},
  } as unknown as ActorSystem
  return hostRpcHandler({
    hostId: 'fog-1',
    system,
    admitCaller: refuseUncredentialedCallers,
    ...loneSnapshotReplicas('fog-1'),
    log: () => {},
    onHeartbeat: (_peer, body) => void heartbeatSchema.safeParse(body),
    onLeave: () => {},
    swap: async (request) => {
      throw new BaseError('SWAP_MODULE_NOT_ALLOWED', `fuzz: ${request.module} is not allowed`, {
        kind: 'application',
      })
    },
    deploy: async (request) => {
      throw new BaseError(
        'DEPLOY_MODULE_NOT_ALLOWED',
        `fuzz: ${request.actors[0]?.module} is not allowed`,
        { kind: 'application' },
      )
    },
    status: () => ({ host: 'fog-1' }) as unknown as HostStatus,
  })
}
