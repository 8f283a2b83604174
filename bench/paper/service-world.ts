/**
 * The state the paper's security services decide on, built the same way in
 * every replica and in the load generator (deterministic keys from fixed
 * seeds): a zone with registered clients (IdentityRegistry events applied to
 * vigil's identity mirror), their capability tokens, a privacy policy
 * (PrivacyPolicy events applied to vigil's privacy mirror), an ENF recorder
 * key, and one feature record with its integrity hash. The benchmark builds
 * it in memory instead of mirroring anvil, so that what is timed is the
 * service's own decision, as the prototype's server logs timed theirs (their
 * eth_call is replaced by a mirror lookup, which is how vigil answers).
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto'
import type { CapabilityToken } from '../../actors/access-control/index.ts'
import { createIdentityMirror, type IdentityMirror } from '../../actors/identity/index.ts'
import { canonicalJson, type IntegrityRecord, recordHash } from '../../actors/integrity/index.ts'
import { createPrivacyMirror, type PrivacyMirror } from '../../actors/privacy-policy/index.ts'
import { toBytes32Name } from '../../ledger/index.ts'

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex')
export const CLIENTS = 16
export const ZONE = toBytes32Name('zone-a')
export const SERVICE_HOST = 'fog-1'

export type ServiceWorld = {
  identity: IdentityMirror
  privacy: PrivacyMirror
  tokens: Map<string, CapabilityToken>
  clientKeys: Map<string, KeyObject>
  enfKey: KeyObject
  record: IntegrityRecord
  recordHashHex: string
}

/** The Ed25519 key of a fixed 32-byte seed. */
export function seededKey(label: string): KeyObject {
  const seed = Buffer.from(Bun.SHA256.hash(`vigil-paper/${label}`) as Uint8Array)
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  })
}

/** Client `i`'s address (derived from its key label, 20 bytes hex). */
export const clientAddress = (i: number) =>
  `0x${(Bun.SHA256.hash(`vigil-paper/client-${i}`, 'hex') as string).slice(0, 40)}`

export function buildServiceWorld(): ServiceWorld {
  const identity = createIdentityMirror()
  const privacy = createPrivacyMirror()
  const tokens = new Map<string, CapabilityToken>()
  const clientKeys = new Map<string, KeyObject>()
  const log = (contract: string, eventName: string, args: Record<string, unknown>) => ({
    contract,
    eventName,
    args,
    blockNumber: 1n,
    logIndex: 0,
  })
  identity.apply(log('IdentityRegistry', 'ZoneCreated', { zoneId: ZONE }))
  const owner = clientAddress(0)
  privacy.apply(log('PrivacyPolicy', 'PolicySet', { owner, sensitive: 5 }))
  for (let i = 0; i < CLIENTS; i++) {
    const address = clientAddress(i)
    clientKeys.set(address, createPublicKey(seededKey(`client-${i}`)))
    identity.apply(
      log('IdentityRegistry', 'NodeJoined', {
        node: address,
        nodeType: i % 2 ? 4 : 1,
        zoneId: ZONE,
      }),
    )
    tokens.set(address, {
      version: 1,
      valid: true,
      issuedAt: 0,
      expiresAt: 4_000_000_000,
      rights: [
        {
          resource: '/video/live',
          action: 'read',
          startSecond: 0,
          endSecond: 0,
          zoneId: ZONE,
          nodeTypes: 0,
        },
      ],
    })
    if (i % 4 === 0)
      privacy.apply(
        log('PrivacyPolicy', 'SubjectAccessSet', { owner, subject: address, attributes: 1 }),
      )
  }
  identity.advance(1n)
  privacy.advance(1n)
  const record: IntegrityRecord = {
    table: 'features',
    id: 'cam-1/13.2.52',
    data: {
      camera: 'cam-1',
      frame: 1352,
      track: 2,
      x: 311.5,
      y: 208.25,
      direction: 'NE',
      speed: 1.4,
    },
  }
  return {
    identity,
    privacy,
    tokens,
    clientKeys,
    enfKey: createPublicKey(seededKey('enf-recorder')),
    record,
    recordHashHex: recordHash(record, SERVICE_HOST),
  }
}

/** ENF values (Hz) and the recorder's signature over their canonical JSON, as the ENF service stores them. */
export function signedEnf(count = 64): { values: number[]; signature: string } {
  const values = Array.from(
    { length: count },
    (_, i) => Math.round((59.98 + 0.02 * Math.sin(i / 5)) * 1e4) / 1e4,
  )
  const signature = sign(
    null,
    Buffer.from(canonicalJson(values)),
    seededKey('enf-recorder'),
  ).toString('base64')
  return { values, signature }
}

/** What client `i` sends to prove its identity: a request line and its signature. */
export function signedRequest(i: number): { client: string; message: string; signature: string } {
  const message = `GET /video/live cam-1 client-${i}`
  const signature = sign(null, Buffer.from(message), seededKey(`client-${i}`)).toString('base64')
  return { client: clientAddress(i), message, signature }
}
