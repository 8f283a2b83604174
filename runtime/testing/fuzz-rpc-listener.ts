/**
 * Fuzzing a live RPC listener over real TCP sockets:
 *
 * - unauthenticated: connections that send fuzzed handshake frames (mutated
 *   hellos, bad length prefixes, garbage) and must be closed by the host;
 * - authenticated: connections that complete a real handshake as the
 *   enrolled `fuzz-peer`, then send sealed frames with fuzzed plaintexts;
 *   error replies must carry a typed code (not INTERNAL).
 *
 * Afterwards the caller checks that the host still serves.
 */
import { Decoder, encode } from '@msgpack/msgpack'
import fc from 'fast-check'
import { isWireError } from '../errors/base-error.ts'
import { encodeFrame, FrameDecoder } from '../rpc/frame-codec.ts'
import { initiateHandshake } from '../rpc/handshake.ts'
import { FuzzRandom, mutateBytes } from './fuzz-bytes.ts'
import { countOutcome, type FuzzReport, newFuzzReport, recordFinding } from './fuzz-report.ts'
import type { FuzzTarget } from './fuzz-target-host.ts'
import { type RawSocket, rawConnect } from './raw-socket.ts'
import { handshakePayload, hostRequestPlaintext, sessionPlaintext } from './rpc-fuzz-cases.ts'

export type RpcListenerFuzzOptions = {
  seed: number
  /** Frames to send before the handshake, over fresh connections. */
  unauthenticatedFrames: number
  /** Sealed frames to send after a real handshake. */
  authenticatedFrames: number
  /** Connections in parallel. Default 16 (below the listener's 128 pending handshakes). */
  concurrency?: number | undefined
}

/** Sends the frames; resolves with the outcome counts once every connection is done. */
export async function fuzzRpcListener(
  target: FuzzTarget,
  options: RpcListenerFuzzOptions,
): Promise<FuzzReport> {
  const report = newFuzzReport(options.seed)
  const hellos = fc.sample(handshakePayload, { seed: options.seed, numRuns: 512 })
  const plains = fc.sample(sessionPlaintext, { seed: options.seed, numRuns: 256 })
  const requests = fc.sample(hostRequestPlaintext, { seed: options.seed, numRuns: 512 })
  const concurrency = options.concurrency ?? 16
  let preBudget = options.unauthenticatedFrames
  let postBudget = options.authenticatedFrames
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      const random = new FuzzRandom(options.seed * 7919 + lane)
      while (preBudget > 0) {
        const count = Math.min(preBudget, 1 + random.int(4))
        preBudget -= count
        await unauthenticated(target, hellos, count, random, report)
      }
      while (postBudget > 0) {
        const count = Math.min(postBudget, 1 + random.int(64))
        postBudget -= count
        await authenticated(target, { plains, requests }, count, random, report)
      }
    }),
  )
  return report
}

/** One connection: `count` fuzzed handshake frames, the last one always refused. */
async function unauthenticated(
  target: FuzzTarget,
  hellos: Uint8Array[],
  count: number,
  random: FuzzRandom,
  report: FuzzReport,
): Promise<void> {
  const socket = await rawConnect(target.rpc)
  const frames: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const hello = mutateBytes(random.pick(hellos), random)
    // A mutated length prefix would only make the host wait for its handshake timeout
    // (bounded: handshakeTimeoutMs, maxPendingHandshakes); here lengths are right or too large.
    const roll = random.int(16)
    if (roll === 0) frames.push(Uint8Array.of(0x7f, 0xff, 0xff, 0xff))
    else if (roll === 1) frames.push(Uint8Array.of(0xff, ...random.bytes(7 + random.int(64))))
    else frames.push(encodeFrame(hello.length > 0 ? hello : Uint8Array.of(0xc1)))
  }
  // An empty frame ends every connection, so none waits out the handshake timeout.
  frames.push(new Uint8Array(4))
  socket.write(concat(frames))
  report.cases += count
  const closed = await socket.closed(5000)
  countOutcome(report, closed ? 'closed by host' : 'left open')
  if (!closed) recordFinding(report, 'unclear', 'unauthenticated connection not closed within 5 s')
  socket.close()
}

/** One authenticated connection: a real handshake, then `count` fuzzed sealed frames. */
async function authenticated(
  target: FuzzTarget,
  corpus: { plains: Uint8Array[]; requests: Uint8Array[] },
  count: number,
  random: FuzzRandom,
  report: FuzzReport,
): Promise<void> {
  const socket = await rawConnect(target.rpc)
  const frames = new FrameDecoder(4 * 1024 * 1024)
  let keys: Awaited<ReturnType<typeof initiateHandshake>>
  const io = handshakeIo(socket, frames)
  try {
    keys = await initiateHandshake(io, {
      hostId: target.peer.hostId,
      key: target.peer.key,
      enrollment: target.peer.enrollment,
    })
  } catch (error) {
    recordFinding(report, 'crash', `the host refused a valid handshake: ${String(error)}`)
    socket.close()
    return
  }
  const out: Uint8Array[] = []
  // Well-formed requests reach the handler; half the connections end in one mutated frame,
  // which usually closes the connection (the ping then goes unanswered).
  for (let i = 0; i < count; i++) {
    const last = i === count - 1 && random.int(2) === 0
    const plain = last
      ? mutateBytes(random.pick(corpus.plains), random)
      : random.pick(corpus.requests)
    out.push(encodeFrame(keys.send.seal(plain)))
  }
  // A ping last: its reply (or the close) says the host read everything before it.
  out.push(encodeFrame(keys.send.seal(pingRequest)))
  socket.write(concat(out))
  report.cases += count
  await readReplies(socket, frames, io.ready, keys.receive, report)
  socket.close()
}

const PING_ID = 0x7fffffff
const pingRequest = encode([0, PING_ID, 'host.ping', null])

async function readReplies(
  socket: RawSocket,
  frames: FrameDecoder,
  early: Uint8Array[],
  receive: { open(sealed: Uint8Array): Uint8Array },
  report: FuzzReport,
): Promise<void> {
  const decoder = new Decoder()
  // Frames that arrived with the handshake's last one come first.
  for (let first = true; ; first = false) {
    const chunk = first ? undefined : await socket.read(5000)
    if (!first && chunk === undefined) {
      countOutcome(report, socket.isClosed ? 'closed by host' : 'no reply')
      if (!socket.isClosed) recordFinding(report, 'unclear', 'no reply and no close within 5 s')
      return
    }
    for (const sealed of first ? early.splice(0) : frames.push(chunk as Uint8Array)) {
      for (const message of decoder.decodeMulti(receive.open(sealed))) {
        const [kind, id, value] = message as [number, unknown, unknown]
        if (kind === 1 && id === PING_ID) return
        if (kind === 2 && isWireError(value)) {
          countOutcome(report, value.code)
          if (value.code === 'INTERNAL') recordFinding(report, 'unclear', value.shortMessage)
        } else if (kind === 1) countOutcome(report, 'accepted')
      }
    }
  }
}

function handshakeIo(socket: RawSocket, frames: FrameDecoder) {
  const ready: Uint8Array[] = []
  return {
    ready,
    send: (payload: Uint8Array) => void socket.write(encodeFrame(payload)),
    async receive(): Promise<Uint8Array> {
      while (ready.length === 0) {
        const chunk = await socket.read(5000)
        if (chunk === undefined) throw new Error('handshake: connection closed or silent')
        ready.push(...frames.push(chunk))
      }
      return ready.shift() as Uint8Array
    },
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Bun.concatArrayBuffers(parts))
}
