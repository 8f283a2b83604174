/**
 * What the edge host signs once per `integrity.record` call: the digest of
 * the host id and the hashes of the call's records, in order,
 *
 *   digest = SHA-256("vigil.integrity.batch.v1\n" ‖ u16 len ‖ hostId ‖ h₁ ‖ … ‖ hₙ)
 *
 * One Ed25519 signature per batch instead of one per record keeps signing
 * and checking off the per-record path (a signature costs ~50 µs; a hash
 * ~1 µs), and the fog ingests batches whole, so it always holds every hₖ.
 */

const BATCH_TAG = new TextEncoder().encode('vigil.integrity.batch.v1\n')

/** The bytes a batch signature covers (32-byte SHA-256 digest). */
export function batchDigest(hostId: string, recordHashes: readonly string[]): Uint8Array {
  const host = Buffer.from(hostId, 'utf8')
  const length = Buffer.alloc(2)
  length.writeUInt16BE(host.length)
  const hasher = new Bun.CryptoHasher('sha256').update(BATCH_TAG).update(length).update(host)
  for (const hash of recordHashes) hasher.update(Buffer.from(hash, 'hex'))
  return new Uint8Array(hasher.digest())
}
