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
 * Cameras come from a stand-in viewer API (camera-stand-in-fixture.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import {
  createCometbftLedger,
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
import { cameraStandInMount } from './camera-stand-in-fixture.ts'

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
  stop(): Promise<void>
}

/** A restricted zone the alert test's track walks into. */
export const SERVER_ROOM = {
  name: 'server-room',
  restricted: true,
  polygon: [
    [200, 100],
    [300, 100],
    [300, 200],
    [200, 200],
  ],
}

function actors(
  localnet: Localnet,
  chain: Awaited<ReturnType<typeof startLocalChain>>,
  files: DomainFiles,
) {
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
      args: { zones: [SERVER_ROOM], everySeconds: 0.5 },
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
] as const

/** Registers the operator (with its rights) and a viewer who may only read alerts. */
async function provision(fog: Host, operator: string, viewer: string): Promise<void> {
  const identity = fog.ref('identity')
  const access = fog.ref('access-control')
  for (const address of [operator, viewer])
    await identity.ask('fake.register', { address, zone: 'zone-a' })
  for (const [resource, action] of OPERATOR_RIGHTS)
    await access.ask('fake.grant', { subject: operator, resource, action })
  await access.ask('fake.grant', {
    subject: viewer,
    resource: '/surveillance/alerts',
    action: 'read',
  })
}

/** Starts the localnet and both hosts; resolves once every actor runs and the accounts exist. */
export async function startDashboardDomain(): Promise<DashboardDomain> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-dashboard-'))
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
  ])
  const security = securityPlugins({ auditFile: join(dir, 'audit.log'), dashboardPollMs: 200 })
  const start = (id: string, role: 'fog' | 'edge', seeds: string[]) =>
    startHost({
      config: hostConfigSchema.parse({
        ...{ id, role, keyFile: files.keyFile(id), enrollmentFile: files.enrollmentFile },
        ...{ adminPublicKey: files.adminPublicKey, adminTokenFile: files.adminTokenFile, seeds },
        ...{ heartbeatIntervalMs: 50, suspicionTimeoutMs: 1000, swappable: [counterFixtures.v2] },
        actors: actors(localnet, chain, files),
      }),
      log: (event: string, fields?: unknown) => {
        if (process.env.DASH_DEBUG && JSON.stringify(fields ?? {}).includes('surveil'))
          console.log(id, event, JSON.stringify(fields))
      },
      plugins: async (services) => {
        const plugins = await security(services)
        // The camera panel is driven by the stand-in viewer API (camera-stand-in-fixture.ts),
        // mounted first so it answers /v1/cameras before the composition's real one, which
        // needs a privacy actor with a camera input that this domain does not run; the real
        // API is tested over HTTP in tests/privacy.integration.test.ts.
        const guard = plugins.guard as NonNullable<typeof plugins.guard>
        return { ...plugins, mounts: [cameraStandInMount(guard), ...(plugins.mounts ?? [])] }
      },
    })
  const fog = await start('fog-1', 'fog', [])
  const edge = await start('edge-1', 'edge', [fog.info.rpc])
  await waitFor(
    () =>
      ['auth', 'access-control', 'ledger', 'ethereum', 'surveil-decision'].every((a) =>
        fog.system.has(a),
      ) && edge.system.has('counter'),
    { timeoutMs: 20_000, message: 'the actors to start' },
  )
  await waitFor(
    () =>
      fog.placement().actors.counter?.hosts.includes('edge-1') &&
      edge.placement().actors.auth?.hosts.includes('fog-1'),
  )
  const operatorKey = generatePrivateKey()
  const viewerKey = generatePrivateKey()
  const operator = privateKeyToAccount(operatorKey).address.toLowerCase()
  const viewer = privateKeyToAccount(viewerKey).address.toLowerCase()
  await provision(fog, operator, viewer)
  return {
    ...{ fog, edge, files, operatorKey, viewerKey, operator, viewer },
    async stop() {
      await edge.stop()
      await fog.stop()
      await chain.stop()
      await localnet.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
