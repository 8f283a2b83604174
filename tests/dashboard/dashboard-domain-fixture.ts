/**
 * The running domain the dashboard's browser test looks at: a real
 * 1-validator CometBFT localnet, anvil with the contracts, and fog-1 + edge-1 as real hosts in this
 * process over TCP with their real gateways, each composed by
 * scripts/security-plugins.ts (guard, audit log, the dashboard mount). They
 * run the real auth actor (EIP-4361 sign-in), the real CometBFT ledger
 * actor (signing with fog-1's enrolled host key), the real Ethereum ledger
 * actor anchoring the localnet's batches on anvil, the real surveillance
 * features and decision actors (alerts), a counter actor with a swappable
 * version 2, and the chain-free stand-ins for identity and access-control
 * (the anvil-backed registries are exercised by tests/secure-domain.integration.test.ts).
 * Cameras come from the real viewer API: the privacy actor on edge-1 (frames fed by
 * `privacy.ingest`, see `ingest`), the privacy-policy actor mirroring the anvil above with the
 * camera's faces and people set sensitive on chain and granted to the operator, and an
 * integrity actor (over its own CometBFT ledger actor on edge-1) auditing each release.
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import type { PixelFrame } from '../../actors/privacy/index.ts'
import { syntheticFrame } from '../../actors/privacy/testing/index.ts'
import { serverRoom } from '../../actors/surveillance/testing/index.ts'
import {
  createChainClients,
  createCometbftLedger,
  createVigilContracts,
  type Localnet,
  startLocalChain,
  startLocalnet,
} from '../../ledger/index.ts'
import {
  createDomainFiles,
  type DomainFiles,
  type Host,
  hostConfigSchema,
  readHostKey,
  startHost,
} from '../../runtime/index.ts'
import { counterFixtures, waitFor } from '../../runtime/testing/index.ts'
import { securityPlugins } from '../../scripts/security-plugins.ts'

const ROOT = join(import.meta.dir, '..', '..')
const FAKES = join(ROOT, 'actors', 'auth', 'testing', 'directory-actors-fixture.ts')
const SURVEILLANCE = join(ROOT, 'actors', 'surveillance')

export type DashboardDomain = {
  fog: Host
  edge: Host
  files: DomainFiles
  operatorKey: Hex
  viewerKey: Hex
  operator: string
  viewer: string
  /** The frame `ingest(seed)` fed last to cam-1, unscrambled. */
  original(): PixelFrame
  /** Feeds cam-1 a new synthetic frame (content depends on `seed`) with FACE and PERSON boxes. */
  ingest(seed: number): Promise<void>
  stop(): Promise<void>
}

/** The camera frames' size, and where their face and person are. */
export const FRAME = { width: 160, height: 90 } as const
export const FACE = { x: 60, y: 20, w: 24, h: 24 } as const
export const PERSON = { x: 56, y: 16, w: 32, h: 64 } as const
const FACES_BIT = 1
const PEOPLE_BIT = 2

type Chain = Awaited<ReturnType<typeof startLocalChain>>

/** The privacy actor, its policy mirror, and the integrity actor (with its ledger) for audits. */
function privacyActors(localnet: Localnet, chain: Chain, dir: string, camera: string) {
  const edge = { role: 'edge' as const, fallback: 'none' as const }
  return [
    {
      name: 'privacy-policy',
      module: join(ROOT, 'actors', 'privacy-policy', 'privacy-policy-actor.ts'),
      args: { chainId: chain.chainId, rpcUrl: chain.rpcUrl, addressesFile: chain.addressesFile },
      placement: { role: 'fog' as const, fallback: 'none' as const },
    },
    {
      name: 'edge-ledger',
      module: join(ROOT, 'ledger', 'cometbft', 'cometbft-ledger-actor.ts'),
      args: { rpcUrls: localnet.rpcUrls, signerKeyFile: localnet.keyFiles.nodes[0] },
      placement: edge,
    },
    {
      name: 'integrity',
      module: join(ROOT, 'actors', 'integrity', 'integrity-actor.ts'),
      args: {
        ...{ hostId: 'edge-1', ledgerActor: 'edge-ledger' },
        signingKeyPath: join(dir, 'integrity.pem'),
      },
      placement: edge,
    },
    {
      name: 'privacy',
      module: join(ROOT, 'actors', 'privacy', 'privacy-actor.ts'),
      args: {
        ...{ keyDir: join(dir, 'edge-1', 'privacy-keys'), hostId: 'edge-1' },
        cameras: [{ id: 'cam-1', account: camera, ...FRAME }],
        ...{ integrityActor: 'integrity', policyCacheMs: 0, padFraction: 0, padPixels: 0 },
      },
      placement: edge,
    },
  ]
}

/** On chain: cam-1's faces and people are sensitive; the operator may see both. */
async function setCameraPolicy(chain: Chain, camera: Hex, operator: Hex): Promise<void> {
  const clients = await createChainClients({
    ...{ chainId: chain.chainId, rpcUrl: chain.rpcUrl, keyFile: chain.keyFile },
    pollingIntervalMs: 50,
  })
  const contracts = createVigilContracts(clients, chain.addresses)
  await contracts.privacyPolicy.write('setPolicy', [camera, FACES_BIT | PEOPLE_BIT])
  await contracts.privacyPolicy.write('setSubjectAccess', [
    camera,
    operator,
    FACES_BIT | PEOPLE_BIT,
  ])
}

function actors(localnet: Localnet, chain: Chain, files: DomainFiles) {
  const fog = { role: 'fog' as const, fallback: 'none' as const }
  return [
    {
      name: 'auth',
      module: join(ROOT, 'actors', 'auth', 'auth-actor.ts'),
      args: { domain: 'local', chainId: 31337 },
      placement: fog,
    },
    { name: 'identity', module: FAKES, export: 'fakeIdentityActor', placement: fog },
    { name: 'access-control', module: FAKES, export: 'fakeAccessControlActor', placement: fog },
    {
      name: 'counter',
      module: counterFixtures.v1,
      export: 'counterActor',
      placement: { role: 'edge' as const, fallback: 'none' as const },
    },
    {
      name: 'ledger',
      module: join(ROOT, 'ledger', 'cometbft', 'cometbft-ledger-actor.ts'),
      args: {
        rpcUrls: localnet.rpcUrls,
        signerKeyFile: files.keyFile('fog-1'),
        chainId: localnet.chainId,
      },
      placement: fog,
    },
    {
      name: 'ethereum',
      module: join(ROOT, 'ledger', 'ethereum', 'ethereum-ledger-actor.ts'),
      args: {
        ...{ chainId: chain.chainId, rpcUrl: chain.rpcUrl, addressesFile: chain.addressesFile },
        keyFile: (chain.accounts['fog-1'] as { keyFile: string }).keyFile,
        anchoring: {
          domain: localnet.chainId,
          cometbftRpcUrl: localnet.rpcUrls[0],
          intervalMs: 200,
        },
      },
      placement: fog,
    },
    {
      name: 'surveil-decision',
      module: join(SURVEILLANCE, 'decision-actor.ts'),
      export: 'decisionActor',
      args: {},
      placement: fog,
    },
    {
      name: 'surveil-features',
      module: join(SURVEILLANCE, 'features-actor.ts'),
      export: 'featuresActor',
      args: { zones: [serverRoom], everySeconds: 0.5 },
      placement: fog,
    },
  ]
}

async function enrollLedgerSigner(localnet: Localnet, keyFile: string): Promise<void> {
  const key = await readHostKey(keyFile)
  const admin = await createCometbftLedger({ rpcUrls: localnet.rpcUrls, signer: localnet.adminKey })
  try {
    await admin.enroll(Buffer.from(key.publicKeyBase64, 'base64').toString('hex'), 'node', 'fog-1')
  } finally {
    await admin.close()
  }
}

const OPERATOR_RIGHTS = [
  ['/dashboard', 'read'],
  ['/counter', 'read'],
  ['/counter', 'write'],
  ['/ledger/records', 'read'],
  ['/ledger/records', 'write'],
  ['/ledger/anchors', 'read'],
  ['/surveillance/tracks', 'write'],
  ['/surveillance/alerts', 'read'],
  ['/surveillance/faces', 'read'],
  ['/surveillance/tracks', 'read'],
  ['/privacy/cameras', 'read'],
  ['/privacy/faces', 'read'],
  ['/privacy/people', 'read'],
] as const

/** The viewer may list the cameras (and read alerts) but see no face or person clear. */
const VIEWER_RIGHTS = [
  ['/surveillance/alerts', 'read'],
  ['/privacy/cameras', 'read'],
] as const

/** Registers the operator (with its rights) and a viewer who may only read alerts and cameras. */
async function provision(fog: Host, operator: string, viewer: string): Promise<void> {
  const identity = fog.ref('identity')
  const access = fog.ref('access-control')
  for (const address of [operator, viewer])
    await identity.ask('fake.register', { address, zone: 'zone-a' })
  for (const [resource, action] of OPERATOR_RIGHTS)
    await access.ask('fake.grant', { subject: operator, resource, action })
  for (const [resource, action] of VIEWER_RIGHTS)
    await access.ask('fake.grant', { subject: viewer, resource, action })
}

/** Starts the ledgers, sets cam-1's policy on chain, and writes the integrity key. */
async function startLedgers(dir: string, camera: Hex, operator: Hex) {
  const localnet = await startLocalnet({ validators: 1, dir: join(dir, 'cometbft') })
  const files = await createDomainFiles({
    dir,
    hosts: [
      { id: 'fog-1', role: 'fog' },
      { id: 'edge-1', role: 'edge' },
    ],
  })
  const [chain] = await Promise.all([
    startLocalChain({
      dir: join(dir, 'ethereum'),
      anchorDomains: [localnet.chainId],
      accounts: [{ name: 'fog-1', anchorer: true }],
    }),
    enrollLedgerSigner(localnet, files.keyFile('fog-1')),
    writeFile(
      join(dir, 'integrity.pem'),
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      { mode: 0o600 },
    ),
  ])
  await setCameraPolicy(chain, camera, operator)
  return { localnet, files, chain }
}

/** Starts the localnet and both hosts; resolves once every actor runs and the accounts exist. */
export async function startDashboardDomain(): Promise<DashboardDomain> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-dashboard-'))
  const [operatorKey, viewerKey] = [generatePrivateKey(), generatePrivateKey()]
  const operator = privateKeyToAccount(operatorKey).address.toLowerCase()
  const viewer = privateKeyToAccount(viewerKey).address.toLowerCase()
  const camera = privateKeyToAccount(generatePrivateKey()).address
  const { localnet, files, chain } = await startLedgers(dir, camera, operator as Hex)
  const security = securityPlugins({ auditFile: join(dir, 'audit.log'), dashboardPollMs: 200 })
  const start = (id: string, role: 'fog' | 'edge', seeds: string[]) =>
    startHost({
      config: hostConfigSchema.parse({
        ...{ id, role, keyFile: files.keyFile(id), enrollmentFile: files.enrollmentFile },
        ...{ adminPublicKey: files.adminPublicKey, adminTokenFile: files.adminTokenFile, seeds },
        ...{ heartbeatIntervalMs: 50, suspicionTimeoutMs: 1000, swappable: [counterFixtures.v2] },
        actors: [...actors(localnet, chain, files), ...privacyActors(localnet, chain, dir, camera)],
      }),
      log: (event: string, fields?: unknown) => {
        if (process.env.DASH_DEBUG && JSON.stringify(fields ?? {}).includes(process.env.DASH_DEBUG))
          console.log(id, event, JSON.stringify(fields))
      },
      plugins: security,
    })
  const fog = await start('fog-1', 'fog', [])
  const edge = await start('edge-1', 'edge', [fog.info.rpc])
  await waitFor(
    () =>
      ['auth', 'access-control', 'ledger', 'ethereum', 'surveil-decision', 'privacy-policy'].every(
        (a) => fog.system.has(a),
      ) && ['counter', 'privacy', 'integrity'].every((a) => edge.system.has(a)),
    { timeoutMs: 20_000, message: 'the actors to start' },
  )
  await waitFor(
    () =>
      fog.placement().actors.counter?.hosts.includes('edge-1') &&
      fog.placement().actors.privacy?.hosts.includes('edge-1') &&
      edge.placement().actors.auth?.hosts.includes('fog-1'),
  )
  await provision(fog, operator, viewer)
  let original = syntheticFrame(FRAME.width, FRAME.height, 0)
  const ingest = async (seed: number) => {
    original = syntheticFrame(FRAME.width, FRAME.height, seed)
    await edge.ref('privacy').ask('privacy.ingest', {
      ...{ cameraId: 'cam-1', pixels: original.pixels },
      ...{ faces: [FACE], persons: [PERSON] },
    })
  }
  await ingest(1)
  return {
    ...{ fog, edge, files, operatorKey, viewerKey, operator, viewer, ingest },
    original: () => original,
    async stop() {
      await edge.stop()
      await fog.stop()
      await chain.stop()
      await localnet.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
