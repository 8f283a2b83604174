/**
 * fast-check arbitraries for the RPC layer's structured fuzz cases: values
 * that are valid msgpack but wrong for vigil (handshake hellos and finishes
 * with wrong types and sizes, session messages with unknown kinds, ids that
 * are not numbers, the host's methods with bodies of the wrong shape, odd
 * timeouts and oversized callers). Encoded, they are also the seeds the byte
 * mutator starts from.
 */
import { encode } from '@msgpack/msgpack'
import fc from 'fast-check'

const METHODS = [
  'actor.ask',
  'actor.tell',
  'host.ping',
  'host.swap',
  'host.status',
  'host.heartbeat',
  'host.leave',
]

/** Numbers that break naive checks: NaN, infinities, negatives, huge, fractional. */
const oddNumber = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 0, 1e308, 2 ** 53, 0.5, -0),
  fc.double(),
  fc.integer(),
)

/** Any msgpack-encodable value, including binary and odd numbers. */
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom(null, true, false, ''),
    oddNumber,
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 48 }),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 10 }), tie('v'), { maxKeys: 5 }),
  ),
})).v

const bytesOf = (lengths: number[]) =>
  fc.oneof(
    fc.constantFrom(...lengths).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
    value,
  )

/** Handshake frames: hello / finish / reply shapes with wrong fields. */
export const handshakeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      t: fc.oneof(fc.constantFrom('hello', 'finish', 'ready'), value),
      v: fc.oneof(fc.constant(1), value),
      hostId: fc.oneof(fc.constantFrom('fog-1', 'fuzz-peer', 'nobody'), value),
      domain: fc.oneof(fc.constantFrom('local', 'test-domain'), value),
      nonce: bytesOf([0, 31, 32, 33]),
      eph: bytesOf([0, 31, 32, 33]),
      sig: bytesOf([0, 63, 64]),
    },
    { requiredKeys: [] },
  ),
  fc.record({ hello: fc.oneof(fc.uint8Array({ maxLength: 200 }), value), sig: bytesOf([64]) }),
  value,
)

const caller = fc.oneof(
  value,
  fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 300 }), value),
      credential: fc.oneof(fc.string({ maxLength: 20 }), value),
      claims: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 70 }), fc.string({ maxLength: 20 }), { maxKeys: 40 }),
        value,
      ),
    },
    { requiredKeys: [] },
  ),
)

/** Bodies for the host's own methods, mostly of the wrong shape. */
const body = fc.oneof(
  value,
  fc.record(
    {
      actor: fc.oneof(fc.constantFrom('echo', 'missing', ''), value),
      type: fc.oneof(fc.constantFrom('echo.say', 'echo.nope'), value),
      payload: fc.oneof(fc.record({ text: fc.oneof(fc.string({ maxLength: 30 }), value) }), value),
      timeoutMs: oddNumber,
      caller,
      module: fc.oneof(fc.constantFrom('/etc/passwd', 'file:///x.ts', '../x.ts'), value),
      export: value,
      info: value,
      members: value,
    },
    { requiredKeys: [] },
  ),
)

const method = fc.oneof(fc.constantFrom(...METHODS), value)

/** One session message: a request, reply, error reply, one-way, or something else. */
export const sessionMessage: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(fc.constant(0), fc.oneof(fc.nat(), oddNumber, value), method, body),
  fc.tuple(fc.constant(3), method, body),
  fc.tuple(fc.constantFrom(1, 2), fc.oneof(fc.nat(100), value), value),
  fc.tuple(fc.oneof(fc.integer({ min: -2, max: 9 }), value), value, value, value),
  value,
)

/** Well-formed requests and one-way messages to the host's methods, with fuzzed bodies. */
export const hostRequestPlaintext: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constant(0), fc.nat(1_000_000), fc.constantFrom(...METHODS), body),
      fc.tuple(fc.constant(3), fc.constantFrom(...METHODS), body),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((messages) => concat(messages.map((message) => encodeLoose(message))))

/** A session frame's plaintext: one to four concatenated messages. */
export const sessionPlaintext: fc.Arbitrary<Uint8Array> = fc
  .array(sessionMessage, { minLength: 1, maxLength: 4 })
  .map((messages) => concat(messages.map((message) => encodeLoose(message))))

/** A handshake frame's payload. */
export const handshakePayload: fc.Arbitrary<Uint8Array> = handshakeValue.map(encodeLoose)

/** msgpack of `value`; values the encoder refuses become their string form. */
export function encodeLoose(value: unknown): Uint8Array {
  try {
    return encode(value)
  } catch {
    return encode(String(value))
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Bun.concatArrayBuffers(parts))
}
