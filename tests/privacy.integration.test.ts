/**
 * The privacy service end to end (issue 16): two hosts in this process over
 * TCP with the security composition (guard, audit log, the /v1/cameras
 * viewer API), the auth actor, the real identity, access-control and
 * privacy-policy actors mirroring a real anvil, the privacy and integrity
 * actors on the edge host, and a real CometBFT ledger. Frames with known
 * face and person boxes are ingested; viewers fetch them over loopback HTTP.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, type Hex, zeroHash } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { signIn } from '../actors/auth/index.ts'
import { RELEASE_TABLE, type Sidecar, unscrambleFrame } from '../actors/privacy/index.ts'
import {
  correlation,
  decodePng,
  regionOf,
  sharedWindows,
  syntheticFrame,
} from '../actors/privacy/testing/index.ts'
import { createTestChain, type TestChain } from '../ledger/ethereum/testing/index.ts'
import {
  createVigilContracts,
  type Localnet,
  startLocalnet,
  toBytes32Name,
  type VigilContracts,
} from '../ledger/index.ts'
import { createDomainFiles, type DomainFiles, type Host, startHost } from '../runtime/index.ts'
import { FAST_DETECTION, testHostConfig, waitFor } from '../runtime/testing/index.ts'
import { securityPlugins } from '../scripts/security-plugins.ts'

setDefaultTimeout(90_000)

const ROOT = join(import.meta.dir, '..')
const USER = 4
const FACES = 1
const PEOPLE = 2
const anyTime = { startSecond: 0, endSecond: 0, zoneId: zeroHash, nodeTypes: 0 }
const W = 640
const H = 360
const FACE_BOXES = [
  { x: 100, y: 40, w: 40, h: 48 },
  { x: 420, y: 60, w: 36, h: 40 },
]
const PERSON_BOXES = [
  { x: 80, y: 20, w: 90, h: 260 },
  { x: 400, y: 40, w: 80, h: 250 },
]
const PAD = { padFraction: 0, padPixels: 0 }

let chain: TestChain
let admin: VigilContracts
let net: Localnet
let dir: string
let files: DomainFiles
let fog: Host
let edge: Host
const keys = { clear: generatePrivateKey(), blind: generatePrivateKey() }
const address = (key: Hex): Address => privateKeyToAccount(key).address
const camera = address(generatePrivateKey())
const original = syntheticFrame(W, H, 3)
const tokens = { clear: '', blind: '' }

async function provision() {
  admin = createVigilContracts(chain.admin.clients, chain.addresses)
  const issuer = await chain.newAccount()
  await admin.capabilityAccessControl.write('addIssuer', [issuer.address])
  await admin.identityRegistry.write('createZone', [toBytes32Name('zone-a'), chain.admin.address])
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 3600)
  const rights = (list: string[]) =>
    list.map((resource) => ({ ...anyTime, resource, action: 'read' }))
  for (const [key, list] of [
    [keys.clear, ['/privacy/cameras', '/privacy/faces', '/privacy/people', '/surveillance/tracks']],
    [keys.blind, ['/privacy/cameras', '/privacy/faces']],
  ] as const) {
    await admin.identityRegistry.write('registerNode', [
      address(key),
      USER,
      toBytes32Name('zone-a'),
    ])
    await admin.capabilityAccessControl.write('issueToken', [
      address(key),
      expiry,
      rights([...list]),
    ])
  }
  // The camera's faces and people are sensitive; only the "clear" viewer is granted both.
  await admin.privacyPolicy.write('setPolicy', [camera, FACES | PEOPLE])
  await admin.privacyPolicy.write('setSubjectAccess', [camera, address(keys.clear), FACES | PEOPLE])
  return issuer
}

function actors(issuerKeyFile: string, integrityKey: string) {
  const chainArgs = {
    chainId: chain.anvil.chainId,
    rpcUrl: chain.anvil.rpcUrl,
    addresses: chain.addresses,
    pollingIntervalMs: 20,
  }
  const fogOnly = { role: 'fog' as const }
  const edgeOnly = { role: 'edge' as const, fallback: 'none' as const }
  return [
    {
      name: 'auth',
      module: join(ROOT, 'actors/auth/auth-actor.ts'),
      args: { domain: 'local', chainId: chain.anvil.chainId },
      placement: fogOnly,
    },
    {
      name: 'identity',
      module: join(ROOT, 'actors/identity/identity-actor.ts'),
      args: chainArgs,
      placement: fogOnly,
    },
    {
      name: 'access-control',
      module: join(ROOT, 'actors/access-control/access-control-actor.ts'),
      args: { ...chainArgs, keyFile: issuerKeyFile },
      placement: fogOnly,
    },
    {
      name: 'privacy-policy',
      module: join(ROOT, 'actors/privacy-policy/privacy-policy-actor.ts'),
      args: chainArgs,
      placement: fogOnly,
    },
    {
      name: 'ledger',
      module: join(ROOT, 'ledger/cometbft/cometbft-ledger-actor.ts'),
      args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0], flushIntervalMs: 5 },
      placement: edgeOnly,
    },
    {
      name: 'integrity',
      module: join(ROOT, 'actors/integrity/integrity-actor.ts'),
      args: { hostId: 'edge-1', signingKeyPath: integrityKey },
      placement: edgeOnly,
    },
    {
      name: 'privacy',
      module: join(ROOT, 'actors/privacy/privacy-actor.ts'),
      args: {
        keyDir: join(dir, 'edge-1', 'privacy-keys'),
        hostId: 'edge-1',
        cameras: [{ id: 'cam-1', account: camera }],
        integrityActor: 'integrity',
        policyCacheMs: 0,
        ...PAD,
      },
      placement: edgeOnly,
    },
  ]
}

beforeAll(async () => {
  chain = await createTestChain()
  net = await startLocalnet({ validators: 1 })
  const issuer = await provision()
  dir = await mkdtemp(join(tmpdir(), 'vigil-privacy-'))
  const integrityKey = join(dir, 'integrity.pem')
  await writeFile(
    integrityKey,
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    { mode: 0o600 },
  )
  files = await createDomainFiles({
    dir,
    hosts: [
      { id: 'fog-1', role: 'fog' },
      { id: 'edge-1', role: 'edge' },
    ],
  })
  const start = (id: string, role: 'fog' | 'edge', seeds: string[]) =>
    startHost({
      config: testHostConfig(files, id, role, {
        seeds,
        ...FAST_DETECTION,
        actors: actors(issuer.keyFile, integrityKey),
      }),
      log: () => {},
      plugins: securityPlugins({ auditFile: join(dir, 'audit.log') }),
    })
  fog = await start('fog-1', 'fog', [])
  edge = await start('edge-1', 'edge', [fog.info.rpc])
  await waitFor(() => edge.system.has('privacy') && fog.system.has('privacy-policy'))
  await waitFor(() => fog.placement().actors.privacy?.hosts.includes('edge-1'))
  await waitFor(() => edge.placement().actors.auth?.hosts.includes('fog-1'))
  await edge.ref('privacy').ask('privacy.ingest', {
    cameraId: 'cam-1',
    pixels: original.pixels,
    faces: FACE_BOXES,
    persons: PERSON_BOXES,
  })
  tokens.clear = await waitFor(async () => (await signIn(fog.info.http, keys.clear)).token)
  tokens.blind = await waitFor(async () => (await signIn(fog.info.http, keys.blind)).token)
})

afterAll(async () => {
  await edge?.stop()
  await fog?.stop()
  await net?.stop()
  await chain?.[Symbol.asyncDispose]()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const get = (host: Host, path: string, token?: string) =>
  fetch(`${host.info.http}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })

async function snapshot(token: string) {
  const response = await get(fog, '/v1/cameras/cam-1/snapshot.png', token)
  expect(response.status).toBe(200)
  return decodePng(new Uint8Array(await response.arrayBuffer())).pixels
}

describe('the viewer API', () => {
  test('answers 401 AUTH_REQUIRED as JSON to a request without a session', async () => {
    const response = await get(fog, '/v1/cameras')
    expect(response.status).toBe(401)
    expect(((await response.json()) as { code: string }).code).toBe('AUTH_REQUIRED')
  })

  test("lists the camera with what each viewer's policy shows clear", async () => {
    const list = async (token: string) =>
      ((await (await get(fog, '/v1/cameras', token)).json()) as { cameras: unknown[] }).cameras
    expect(await list(tokens.clear)).toEqual([
      {
        id: 'cam-1',
        host: 'edge-1',
        latestSeq: 1,
        attributes: { faces: 'clear', people: 'clear' },
      },
    ])
    expect(await list(tokens.blind)).toEqual([
      {
        id: 'cam-1',
        host: 'edge-1',
        latestSeq: 1,
        attributes: { faces: 'scrambled', people: 'scrambled' },
      },
    ])
  })

  test('shows a viewer without the right every face and person region scrambled, with no original pattern left', async () => {
    const seen = { width: W, pixels: await snapshot(tokens.blind) }
    for (const box of [...FACE_BOXES, ...PERSON_BOXES]) {
      const before = regionOf(original, box)
      const after = regionOf(seen, box)
      expect(Math.abs(correlation(before, after))).toBeLessThan(0.05)
      expect(sharedWindows(before, after)).toBe(0)
    }
    const outside = { x: 200, y: 0, w: 180, h: H }
    expect(regionOf(seen, outside)).toEqual(regionOf(original, outside))
  })

  test('gives an authorized viewer the bit-identical original, as a snapshot and on the live stream', async () => {
    expect(Buffer.from(await snapshot(tokens.clear)).equals(Buffer.from(original.pixels))).toBe(
      true,
    )
    const response = await get(edge, '/v1/cameras/cam-1/live', tokens.clear)
    expect(response.headers.get('content-type')).toBe(
      'multipart/x-mixed-replace; boundary=vigilframe',
    )
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    let bytes = new Uint8Array(0)
    const headerEnd = () => Buffer.from(bytes).indexOf('\r\n\r\n')
    const length = () =>
      Number(/Content-Length: (\d+)/.exec(Buffer.from(bytes).toString('latin1'))?.[1])
    while (headerEnd() < 0 || bytes.length < headerEnd() + 4 + length()) {
      const { value } = await reader.read()
      bytes = Buffer.concat([bytes, value as Uint8Array])
    }
    await reader.cancel()
    const png = bytes.subarray(headerEnd() + 4, headerEnd() + 4 + length())
    expect(Buffer.from(decodePng(png).pixels).equals(Buffer.from(original.pixels))).toBe(true)
  })
})

type KeysReply = { releaseId: string; keys: Record<string, string>; keyIds: Record<string, string> }

async function askKeys(token: string, epoch: number) {
  const response = await fetch(`${fog.info.http}/v1/actors/privacy/privacy.keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ cameraId: 'cam-1', epoch }),
  })
  return { status: response.status, body: (await response.json()) as KeysReply & { code?: string } }
}

describe('key release', () => {
  test('releases the epoch keys to the authorized viewer, which unscrambles the stored frame bit-identically', async () => {
    const stored = (await edge.ref('privacy').ask('privacy.frame', { cameraId: 'cam-1' })) as {
      pixels: Uint8Array
      sidecar: Sidecar
    }
    const { status, body } = await askKeys(tokens.clear, stored.sidecar.epoch)
    expect(status).toBe(200)
    const released = Object.fromEntries(
      Object.entries(body.keys).map(([a, k]) => [a, new Uint8Array(Buffer.from(k, 'base64'))]),
    )
    const frame = { width: W, height: H, channels: 3 as const, pixels: stored.pixels }
    const clear = unscrambleFrame(frame, stored.sidecar, released, ['faces', 'people'])
    expect(Buffer.from(clear.pixels).equals(Buffer.from(original.pixels))).toBe(true)
    expect((await askKeys(tokens.blind, stored.sidecar.epoch)).body.code).toBe(
      'PRIVACY_NOT_ALLOWED',
    )
  })

  test('records every release in an audit entry whose hash verifies on the ledger', async () => {
    const { releases } = (await edge.ref('privacy').ask('privacy.releases', {})) as {
      releases: { id: string; data: Record<string, unknown> }[]
    }
    const viewer = address(keys.clear).toLowerCase()
    expect(releases.map((r) => [r.data.viewer, r.data.kind])).toEqual([
      [viewer, 'frames'],
      [viewer, 'keys'],
    ])
    for (const release of releases) {
      const check = (await edge.ref('integrity').ask('integrity.verify', {
        record: { table: RELEASE_TABLE, id: release.id, data: release.data },
      })) as { valid: boolean }
      expect(check.valid).toBe(true)
      const forged = { ...release.data, viewer: address(keys.blind).toLowerCase() }
      const refused = (await edge.ref('integrity').ask('integrity.verify', {
        record: { table: RELEASE_TABLE, id: release.id, data: forged },
      })) as { valid: boolean }
      expect(refused.valid).toBe(false)
    }
  })

  test('refuses the next key request after the policy grant is revoked on chain', async () => {
    const revoked = await admin.privacyPolicy.write('setSubjectAccess', [
      camera,
      address(keys.clear),
      0,
    ])
    await waitFor(async () => {
      const reply = (await fog
        .ref('privacy-policy')
        .ask('privacy.visible', { viewer: address(keys.clear), owner: camera })) as {
        block: number
      }
      return reply.block >= Number(revoked.blockNumber)
    })
    const { body } = await askKeys(tokens.clear, 0)
    expect(body.code).toBe('PRIVACY_NOT_ALLOWED')
    const seen = { width: W, pixels: await snapshot(tokens.clear) }
    expect(
      sharedWindows(
        regionOf(original, FACE_BOXES[0] as (typeof FACE_BOXES)[0]),
        regionOf(seen, FACE_BOXES[0] as (typeof FACE_BOXES)[0]),
      ),
    ).toBe(0)
  })
})
