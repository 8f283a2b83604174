/**
 * The mutual-authentication handshake that opens every host-to-host
 * connection (a SIGMA-style signed Diffie-Hellman, as in TLS 1.3 and Noise):
 *
 *   initiator → responder  hello  {hostId, domain, nonce, ephemeral X25519 key}
 *   responder → initiator  hello  {hostId, domain, nonce, ephemeral key,
 *                                  sig_R = Ed25519(R, "server" ‖ hello_I ‖ hello_R)}
 *   initiator → responder  finish {sig_I = Ed25519(I, "client" ‖ hello_I ‖ hello_R ‖ sig_R)}
 *   responder → initiator  first sealed frame (proves the responder derived the keys)
 *
 * Each side checks that the peer's host id is in the signed enrollment list
 * and that the signature verifies with the enrolled key. Fresh nonces and
 * ephemeral keys make every transcript unique, so a recorded handshake cannot
 * be replayed. Session keys come from HKDF-SHA256 over the X25519 secret,
 * salted with the transcript hash, one key and nonce prefix per direction.
 */
import {
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
} from 'node:crypto'
import { Decoder, encode } from '@msgpack/msgpack'
import type { EnrolledHost, Enrollment } from './enrollment-list.ts'
import {
  RpcFrameMalformedError,
  RpcHostNotEnrolledError,
  RpcUnauthenticatedError,
} from './errors.ts'
import { type HostKey, publicKeyFromBase64, signBytes, verifyBytes } from './host-key.ts'
import { SessionCipher } from './session-cipher.ts'

/** Sends and receives whole handshake frames (payloads without the length prefix). */
export type HandshakeIo = {
  send(payload: Uint8Array): void
  receive(): Promise<Uint8Array>
}

export type HandshakeOptions = {
  hostId: string
  key: HostKey
  enrollment: Enrollment
  /** When connecting: refuse a responder whose id differs. */
  expectedPeerId?: string | undefined
}

/** The authenticated peer and the session's two ciphers. */
export type HandshakeResult = {
  peer: EnrolledHost
  send: SessionCipher
  receive: SessionCipher
}

type Hello = {
  t: 'hello'
  v: 1
  hostId: string
  domain: string
  nonce: Uint8Array
  eph: Uint8Array
}

const PROTOCOL = 'vigil-rpc-v1'

/**
 * msgpack's decoder allocates a declared array length before it reads the
 * elements (5 bytes declaring 2^24 elements cost ~400 MB and 30 ms), so
 * unauthenticated frames are decoded with every length bounded by the
 * handshake's frame limit.
 */
const HANDSHAKE_LIMIT = 4096
const handshakeDecoder = new Decoder({
  maxStrLength: HANDSHAKE_LIMIT,
  maxBinLength: HANDSHAKE_LIMIT,
  maxArrayLength: HANDSHAKE_LIMIT,
  maxMapLength: HANDSHAKE_LIMIT,
  maxExtLength: HANDSHAKE_LIMIT,
})

function ephemeral() {
  const pair = generateKeyPairSync('x25519')
  const jwk = pair.publicKey.export({ format: 'jwk' }) as { x: string }
  return { privateKey: pair.privateKey, raw: new Uint8Array(Buffer.from(jwk.x, 'base64url')) }
}

function sharedSecret(privateKey: ReturnType<typeof ephemeral>['privateKey'], peer: Uint8Array) {
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peer).toString('base64url') },
    format: 'jwk',
  })
  return diffieHellman({ privateKey, publicKey })
}

function bytes(...parts: (string | Uint8Array)[]): Uint8Array {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)))
}

function parseHello(payload: Uint8Array): Hello {
  const value = decodeSafe(payload) as Partial<Hello> | null
  if (
    value?.t !== 'hello' ||
    value.v !== 1 ||
    typeof value.hostId !== 'string' ||
    typeof value.domain !== 'string' ||
    !(value.nonce instanceof Uint8Array) ||
    value.nonce.length !== 32 ||
    !(value.eph instanceof Uint8Array) ||
    value.eph.length !== 32
  ) {
    throw new RpcFrameMalformedError('handshake hello has the wrong shape')
  }
  return value as Hello
}

function decodeSafe(payload: Uint8Array): unknown {
  try {
    return handshakeDecoder.decode(payload)
  } catch (error) {
    throw new RpcFrameMalformedError(`handshake frame is not msgpack (${(error as Error).message})`)
  }
}

function enrolledPeer(options: HandshakeOptions, hello: Hello): EnrolledHost {
  if (hello.domain !== options.enrollment.domain) {
    throw new RpcUnauthenticatedError(
      `peer belongs to domain '${hello.domain}', not '${options.enrollment.domain}'`,
    )
  }
  const peer = options.enrollment.find(hello.hostId)
  if (!peer) throw new RpcHostNotEnrolledError(hello.hostId)
  return peer
}

function verifyPeer(peer: EnrolledHost, data: Uint8Array, signature: unknown): void {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new RpcFrameMalformedError('handshake signature missing or of the wrong size')
  }
  if (!verifyBytes(publicKeyFromBase64(peer.publicKey), data, signature)) {
    // A valid enrolled id with the wrong key: someone else is using the name.
    throw new RpcHostNotEnrolledError(peer.hostId, {
      details: 'handshake signature does not verify with the enrolled public key',
    })
  }
}

function sessionKeys(secret: Uint8Array, transcript: Uint8Array, initiator: boolean) {
  const salt = createHash('sha256').update(transcript).digest()
  const okm = Buffer.from(hkdfSync('sha256', secret, salt, PROTOCOL, 72))
  const i2r = new SessionCipher(okm.subarray(0, 32), okm.subarray(64, 68))
  const r2i = new SessionCipher(okm.subarray(32, 64), okm.subarray(68, 72))
  return initiator ? { send: i2r, receive: r2i } : { send: r2i, receive: i2r }
}

function helloOf(options: HandshakeOptions, eph: Uint8Array): Hello {
  return {
    t: 'hello',
    v: 1,
    hostId: options.hostId,
    domain: options.enrollment.domain,
    nonce: new Uint8Array(randomBytes(32)),
    eph,
  }
}

/** Runs the handshake as the connecting side. */
export async function initiateHandshake(
  io: HandshakeIo,
  options: HandshakeOptions,
): Promise<HandshakeResult> {
  const eph = ephemeral()
  const helloI = encode(helloOf(options, eph.raw))
  io.send(helloI)
  const helloRBytes = await io.receive()
  const frame = decodeSafe(helloRBytes) as { hello?: unknown; sig?: unknown } | null
  if (!frame || !(frame.hello instanceof Uint8Array)) {
    throw new RpcFrameMalformedError('handshake reply has the wrong shape')
  }
  const helloR = parseHello(frame.hello)
  if (options.expectedPeerId !== undefined && helloR.hostId !== options.expectedPeerId) {
    throw new RpcUnauthenticatedError(
      `expected host '${options.expectedPeerId}' but '${helloR.hostId}' answered`,
    )
  }
  const peer = enrolledPeer(options, helloR)
  verifyPeer(peer, bytes('server', helloI, frame.hello), frame.sig)
  const transcript = bytes(helloI, frame.hello)
  const sigI = signBytes(options.key, bytes('client', helloI, frame.hello, frame.sig as Uint8Array))
  io.send(encode({ t: 'finish', sig: sigI }))
  const keys = sessionKeys(sharedSecret(eph.privateKey, helloR.eph), transcript, true)
  const confirm = keys.receive.open(await io.receive())
  const confirmation = decodeSafe(confirm) as { t?: unknown } | null
  if (confirmation?.t !== 'ready') throw new RpcUnauthenticatedError('no key confirmation')
  return { peer, ...keys }
}

/** Runs the handshake as the accepting side. */
export async function acceptHandshake(
  io: HandshakeIo,
  options: HandshakeOptions,
): Promise<HandshakeResult> {
  const helloIBytes = await io.receive()
  const helloI = parseHello(helloIBytes)
  const peer = enrolledPeer(options, helloI)
  const eph = ephemeral()
  const helloR = encode(helloOf(options, eph.raw))
  const sigR = signBytes(options.key, bytes('server', helloIBytes, helloR))
  io.send(encode({ hello: helloR, sig: sigR }))
  const finish = decodeSafe(await io.receive()) as { t?: unknown; sig?: unknown } | null
  if (finish?.t !== 'finish') throw new RpcFrameMalformedError('expected handshake finish')
  verifyPeer(peer, bytes('client', helloIBytes, helloR, sigR), finish.sig)
  const keys = sessionKeys(
    sharedSecret(eph.privateKey, helloI.eph),
    bytes(helloIBytes, helloR),
    false,
  )
  io.send(keys.send.seal(encode({ t: 'ready' })))
  return { peer, ...keys }
}
