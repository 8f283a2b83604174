/**
 * Simulated serialization: with `kernel.simulateSerialization` on, payloads
 * and replies pass through msgpack encode/decode even inside one host, so a
 * value that would not survive the wire between hosts (functions, symbols,
 * bigints, class behaviour) fails on a laptop, not in production.
 */
import { decode, encode } from '@msgpack/msgpack'
import { SerializationFailedError } from '../actor/errors.ts'

/** Encodes and decodes `value` with msgpack; throws SerializationFailedError naming `what`. */
export function roundTripMsgpack<Value>(value: Value, what: string): Value {
  try {
    return decode(encode(value)) as Value
  } catch (error) {
    throw new SerializationFailedError(what, { cause: error })
  }
}
