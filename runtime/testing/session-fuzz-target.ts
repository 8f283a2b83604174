/**
 * One side of an authenticated RPC session for fuzzing: a real
 * {@link RpcConnection} over an in-memory stand-in stream, with the cipher
 * pair of its peer held by the fuzzer, so fuzzed plaintexts reach the
 * post-handshake decoder sealed as a real peer would seal them. Replies are
 * opened and checked; a closed connection is replaced by a fresh one.
 */
import { randomBytes } from 'node:crypto'
import { Decoder } from '@msgpack/msgpack'
import { systemClock } from '../clock/clock.ts'
import { isWireError } from '../errors/base-error.ts'
import { encodeFrame, FrameDecoder } from '../rpc/frame-codec.ts'
import { defaultRpcLimits, RpcConnection, type RpcHandler } from '../rpc/rpc-connection.ts'
import { SessionCipher } from '../rpc/session-cipher.ts'
import type { ByteStream, ByteStreamHandlers } from '../rpc/transport.ts'
import { type FuzzRandom, mutateBytes } from './fuzz-bytes.ts'
import { countOutcome, type FuzzReport, recordFinding } from './fuzz-report.ts'

type Session = {
  connection: RpcConnection
  handlers: ByteStreamHandlers
  seal: SessionCipher
  open: SessionCipher
  written: Uint8Array[]
  closedReason: string | undefined
}

/** Typed reasons a connection closes with (anything else is unclear). */
const TYPED_CLOSE = /^(RPC_[A-Z_]+|PROTOCOL_VIOLATION|SERIALIZATION_FAILED): /

export class SessionFuzzTarget {
  readonly #handler: RpcHandler
  readonly #report: FuzzReport
  readonly #replies = new Decoder()
  #session: Session

  constructor(handler: RpcHandler, report: FuzzReport) {
    this.#handler = handler
    this.#report = report
    this.#session = this.#open()
  }

  /** Delivers one fuzzed plaintext, sealed (and now and then tampered after sealing). */
  push(plaintext: Uint8Array, random: FuzzRandom, where: string): void {
    const session = this.#session
    const sealed = session.seal.seal(plaintext)
    const frame = random.int(32) === 0 ? mutateBytes(sealed, random) : sealed
    try {
      session.handlers.data(encodeFrame(frame))
    } catch (error) {
      recordFinding(this.#report, 'crash', `session ${where}: ${String(error)}`)
    }
    this.#check(session, where)
  }

  /** Lets async replies go out, then checks them. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    this.#check(this.#session, 'settle')
  }

  close(): void {
    this.#session.connection.close('fuzz done')
  }

  #check(session: Session, where: string): void {
    for (const frame of session.written.splice(0)) this.#checkReplies(session, frame, where)
    if (session.closedReason === undefined) return
    const reason = session.closedReason
    const code = TYPED_CLOSE.exec(reason)?.[1]
    countOutcome(this.#report, code ?? 'closed')
    if (!code) recordFinding(this.#report, 'unclear', `session ${where} closed: ${reason}`)
    this.#session = this.#open()
  }

  #checkReplies(session: Session, frame: Uint8Array, where: string): void {
    const decoder = new FrameDecoder(defaultRpcLimits.maxFrameBytes)
    for (const sealed of decoder.push(frame)) {
      for (const message of this.#replies.decodeMulti(session.open.open(sealed))) {
        const [kind, , value] = message as [number, number, unknown]
        if (kind === 1) countOutcome(this.#report, 'accepted')
        else if (kind === 2 && isWireError(value)) {
          countOutcome(this.#report, value.code)
          if (value.code === 'INTERNAL')
            recordFinding(this.#report, 'unclear', `session ${where}: ${value.shortMessage}`)
        }
      }
    }
  }

  #open(): Session {
    const inbound = { key: randomBytes(32), prefix: randomBytes(4) }
    const outbound = { key: randomBytes(32), prefix: randomBytes(4) }
    const written: Uint8Array[] = []
    let handlers: ByteStreamHandlers | undefined
    const session = { written, closedReason: undefined } as Partial<Session> & {
      written: Uint8Array[]
      closedReason: string | undefined
    }
    const stream: ByteStream = {
      remoteAddress: 'fuzz:0',
      bufferedBytes: 0,
      write: (bytes) => written.push(bytes.slice()) > 0,
      attach: (h) => {
        handlers = h
      },
      pause() {},
      resume() {},
      close() {},
    }
    const connection = new RpcConnection({
      stream,
      decoder: new FrameDecoder(defaultRpcLimits.maxFrameBytes),
      send: new SessionCipher(outbound.key, outbound.prefix),
      receive: new SessionCipher(inbound.key, inbound.prefix),
      peer: { hostId: 'fuzz-peer', role: 'edge', publicKey: '' },
      handler: this.#handler,
      clock: systemClock,
      log: () => {},
      limits: defaultRpcLimits,
    })
    connection.onClose((reason) => {
      session.closedReason = reason
    })
    return Object.assign(session, {
      connection,
      handlers: handlers as ByteStreamHandlers,
      seal: new SessionCipher(inbound.key, inbound.prefix),
      open: new SessionCipher(outbound.key, outbound.prefix),
    }) as Session
  }
}
