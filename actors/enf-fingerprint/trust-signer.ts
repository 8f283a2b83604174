/**
 * Whose ENF fingerprints count: only those signed by a host registered in
 * the verifying host's zone (identity actor, not a configured list), and
 * stored under that same host's ledger namespace (`enf:<hostId>/…`). A valid
 * signature by any other key proves only that someone signed it.
 */
import type { HostDirectory } from './host-directory.ts'

export type SignerTrust =
  | { readonly trusted: true; readonly hostId: string }
  | { readonly trusted: false; readonly hostId: string | null; readonly reason: string }

/** Decides whether the fingerprint's signing key is a registered host of the verifier's zone. */
export async function trustSigner(
  directory: HostDirectory,
  parameters: { signerKeyHex: string; namespaceHostId: string; verifierKeyHex: string },
): Promise<SignerTrust> {
  const [signer, verifier] = await Promise.all([
    directory.hostOfKey(parameters.signerKeyHex),
    directory.hostOfKey(parameters.verifierKeyHex),
  ])
  if (!signer) {
    return {
      trusted: false,
      hostId: null,
      reason: 'The fingerprint is signed by a key that belongs to no enrolled host',
    }
  }
  if (!signer.registered) {
    return {
      trusted: false,
      hostId: signer.hostId,
      reason: `The fingerprint is signed by host ${signer.hostId}, which is not registered in the identity registry`,
    }
  }
  if (signer.hostId !== parameters.namespaceHostId) {
    return {
      trusted: false,
      hostId: signer.hostId,
      reason: `The fingerprint is signed by host ${signer.hostId} but stored under host ${parameters.namespaceHostId}'s records`,
    }
  }
  if (!verifier?.registered || verifier.zone === undefined) {
    return {
      trusted: false,
      hostId: signer.hostId,
      reason:
        'This host is not registered in a zone, so it cannot tell which signers are its zone’s',
    }
  }
  if (signer.zone !== verifier.zone) {
    return {
      trusted: false,
      hostId: signer.hostId,
      reason: `The fingerprint is signed by host ${signer.hostId}, registered in another zone`,
    }
  }
  return { trusted: true, hostId: signer.hostId }
}
