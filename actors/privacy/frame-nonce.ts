/**
 * The AES-GCM nonce of one region: a deterministic counter, never reused
 * under one key. 12 bytes, big-endian:
 *
 *   epoch (uint32) ‖ frame seq within the epoch (uint48) ‖ region index (uint16)
 *
 * A key belongs to one (camera, epoch, attribute) (key-store.ts), the epoch
 * counter is persisted before it is used, and seq only grows within an
 * epoch, so no (key, nonce) pair repeats, also across restarts.
 */
import { PrivacySidecarInvalidError } from './errors.ts'

export const MAX_SEQ = 2 ** 48 - 1
export const MAX_REGIONS = 2 ** 16

/** The nonce of region `index` of frame `seq` of `epoch`. */
export function frameNonce(epoch: number, seq: number, index: number): Uint8Array {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff)
    throw new PrivacySidecarInvalidError(`epoch ${epoch} must be an integer in [0, 2^32)`)
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ)
    throw new PrivacySidecarInvalidError(`frame seq ${seq} must be an integer in [0, 2^48)`)
  if (!Number.isInteger(index) || index < 0 || index >= MAX_REGIONS)
    throw new PrivacySidecarInvalidError(`region index ${index} must be an integer in [0, 2^16)`)
  const nonce = new Uint8Array(12)
  const view = new DataView(nonce.buffer)
  view.setUint32(0, epoch)
  view.setUint16(4, Math.floor(seq / 2 ** 32))
  view.setUint32(6, seq % 2 ** 32)
  view.setUint16(10, index)
  return nonce
}
