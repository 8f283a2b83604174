/**
 * The security part of `vigil start`'s one-machine domain:
 * - demo accounts: an operator and a viewer (secp256k1 keys generated under
 *   `<dir>/accounts/`, mode 0600), registered in zone `zone-a` of the
 *   IdentityRegistry and given capability tokens by the chain admin (the
 *   deployer of the local chain); the access-control actor's issuer-only
 *   account comes from startLocalChain;
 * - camera 1's PrivacyPolicy: faces and people sensitive, both granted to
 *   the operator (the viewer sees them scrambled);
 * - the security actors on the fog host: `auth` (EIP-4361 sign-in),
 *   `identity`, `access-control` and `privacy-policy` (mirrors of the contracts);
 * - the hosts' entry with the guard (scripts/secure-host-main.ts) and the
 *   audit log at `<dir>/audit.log`;
 * - the lines that tell a user how to sign in.
 */
import { chmod, mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type Address, type Hex, zeroHash } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createChainClients, createVigilContracts, toBytes32Name } from '../ledger/index.ts'
import type { DomainActorSpec } from '../runtime/index.ts'

const ROOT = resolve(import.meta.dir, '..')
const USER_NODE_TYPE = 4
const ZONE = 'zone-a'
const ANY_TIME = { startSecond: 0, endSecond: 0, zoneId: zeroHash, nodeTypes: 0 }

/** Rights of the demo viewer: reading. */
const VIEWER_RIGHTS = [
  ['/echo', 'read'],
  ['/enf/records', 'read'],
  ['/integrity/records', 'read'],
  ['/fog/records', 'read'],
  ['/ledger/records', 'read'],
  ['/ledger/anchors', 'read'],
  ['/identity', 'read'],
  ['/access', 'read'],
  ['/privacy', 'read'],
  ['/surveillance/alerts', 'read'],
  // The viewer API: cameras scrambled per PrivacyPolicy (docs/privacy.md).
  ['/privacy/cameras', 'read'],
] as const

/** Rights of the demo operator: reading, writing and the services' administrative messages. */
const OPERATOR_RIGHTS = [
  ...VIEWER_RIGHTS,
  ['/echo', 'write'],
  ['/surveillance/cameras', 'read'],
  ['/surveillance/tracks', 'read'],
  ['/enf/records', 'write'],
  ['/integrity/records', 'write'],
  ['/fog/records', 'write'],
  ['/fog/audit', 'admin'],
  ['/integrity/audit', 'admin'],
  ['/ledger/records', 'write'],
  ['/ledger/anchors', 'admin'],
  ['/ledger/ethereum', 'admin'],
  ['/identity', 'admin'],
  ['/auth/sessions', 'admin'],
  // Unscrambling, where PrivacyPolicy grants it too, and the release audit.
  ['/privacy/faces', 'read'],
  ['/privacy/people', 'read'],
  ['/privacy/audit', 'admin'],
  ['/dashboard', 'read'],
] as const

export type DemoAccount = { readonly address: Address; readonly keyFile: string }

export type DemoAccounts = {
  readonly operator: DemoAccount
  readonly viewer: DemoAccount
  /** Camera 1's account: the owner its PrivacyPolicy rules are set for. */
  readonly camera: DemoAccount
}

const FACES = 1
const PEOPLE = 2

export type SecurityChain = {
  chainId: number
  rpcUrl: string
  /** The chain admin's key file (the local chain's deployer). */
  keyFile: string
  addressesFile: string
  addresses: Parameters<typeof createVigilContracts>[1]
}

async function newAccount(dir: string, name: string): Promise<DemoAccount> {
  const key: Hex = generatePrivateKey()
  const keyFile = join(dir, `${name}.key`)
  await Bun.write(keyFile, `${key}\n`)
  await chmod(keyFile, 0o600)
  return { address: privateKeyToAccount(key).address, keyFile }
}

const rights = (list: readonly (readonly [string, string])[]) =>
  list.map(([resource, action]) => ({ resource, action, ...ANY_TIME }))

/** The contracts with the operator's admin key (this script is an operator tool, not a host). */
async function adminContracts(chain: SecurityChain) {
  return createVigilContracts(
    await createChainClients({
      chainId: chain.chainId,
      rpcUrl: chain.rpcUrl,
      keyFile: chain.keyFile,
    }),
    chain.addresses,
  )
}

/** Generates, registers and grants the demo accounts on the local chain. */
export async function provisionDemoAccounts(
  dir: string,
  chain: SecurityChain,
): Promise<DemoAccounts> {
  const accountsDir = join(dir, 'accounts')
  await mkdir(accountsDir, { recursive: true })
  const operator = await newAccount(accountsDir, 'operator')
  const viewer = await newAccount(accountsDir, 'viewer')
  const camera = await newAccount(accountsDir, 'camera-1')
  const admin = await adminContracts(chain)
  const adminAddress = privateKeyToAccount(
    (await Bun.file(chain.keyFile).text()).trim() as Hex,
  ).address
  const zone = toBytes32Name(ZONE)
  await admin.identityRegistry.write('createZone', [zone, adminAddress])
  const expiresAt = BigInt(Math.floor(Date.now() / 1000) + 30 * 24 * 3600)
  for (const [account, list] of [
    [operator, OPERATOR_RIGHTS],
    [viewer, VIEWER_RIGHTS],
  ] as const) {
    await admin.identityRegistry.write('registerNode', [account.address, USER_NODE_TYPE, zone])
    await admin.capabilityAccessControl.write('issueToken', [
      account.address,
      expiresAt,
      rights(list),
    ])
  }
  // Camera 1's faces and people are sensitive: the operator is granted both, the viewer neither.
  await admin.privacyPolicy.write('setPolicy', [camera.address, FACES | PEOPLE])
  await admin.privacyPolicy.write('setSubjectAccess', [
    camera.address,
    operator.address,
    FACES | PEOPLE,
  ])
  return { operator, viewer, camera }
}

const NODE_TYPE_BY_ROLE = { edge: 1, fog: 2, cloud: 3 } as const

/** One host of the demo domain as the identity registry needs it. */
export type DemoHost = {
  readonly id: string
  readonly role: keyof typeof NODE_TYPE_BY_ROLE
  /** Base64 of the host's 32-byte Ed25519 public key, as in the enrollment list. */
  readonly publicKey: string
  /** The host's own Ethereum account, when it has one; else a fresh account is made for it. */
  readonly address?: Address | undefined
}

/**
 * Registers each host as a node of the demo zone and binds its transport key to that node
 * (`bindHostKey`), as an operator would with `vigil identity node-add` and `host-key`: the identity
 * actor's `identity.host_of_key` then names the host behind a fingerprint's signing key.
 */
export async function registerDemoHosts(
  dir: string,
  chain: SecurityChain,
  hosts: readonly DemoHost[],
): Promise<void> {
  const admin = await adminContracts(chain)
  const zone = toBytes32Name(ZONE)
  const accountsDir = join(dir, 'accounts')
  await mkdir(accountsDir, { recursive: true })
  for (const host of hosts) {
    const address = host.address ?? (await newAccount(accountsDir, `host-${host.id}`)).address
    await admin.identityRegistry.write('registerNode', [
      address,
      NODE_TYPE_BY_ROLE[host.role],
      zone,
    ])
    const publicKey = `0x${Buffer.from(host.publicKey, 'base64').toString('hex')}` as Hex
    await admin.identityRegistry.write('bindHostKey', [address, toBytes32Name(host.id), publicKey])
  }
}

/** The auth, identity, privacy-policy and access-control actors, on the fog host. */
export function securityActors(options: {
  domain: string
  chain: SecurityChain
  issuerKeyFile: string
}): DomainActorSpec[] {
  const chainArgs = {
    chainId: options.chain.chainId,
    rpcUrl: options.chain.rpcUrl,
    addressesFile: options.chain.addressesFile,
  }
  return [
    {
      name: 'auth',
      module: join(ROOT, 'actors', 'auth', 'auth-actor.ts'),
      args: { domain: options.domain, chainId: options.chain.chainId },
      placement: { role: 'fog' },
    },
    {
      name: 'identity',
      module: join(ROOT, 'actors', 'identity', 'identity-actor.ts'),
      args: chainArgs,
      placement: { role: 'fog' },
    },
    {
      name: 'privacy-policy',
      module: join(ROOT, 'actors', 'privacy-policy', 'privacy-policy-actor.ts'),
      args: chainArgs,
      placement: { role: 'fog' },
    },
    {
      name: 'access-control',
      module: join(ROOT, 'actors', 'access-control', 'access-control-actor.ts'),
      args: {
        ...chainArgs,
        keyFile: options.issuerKeyFile,
        // Registered users may ask for read rights in their own zone.
        policy: {
          rules: [
            {
              nodeTypes: ['user'],
              rights: VIEWER_RIGHTS.map(([resource, action]) => ({ resource, action })),
            },
          ],
        },
      },
      placement: { role: 'fog' },
    },
  ]
}

/** startDomain options that launch every host with the guard and the audit log. */
export async function securedHostEntry(dir: string) {
  const securityFile = join(dir, 'security.json')
  await Bun.write(securityFile, JSON.stringify({ auditFile: join(dir, 'audit.log') }))
  return {
    hostMain: join(ROOT, 'scripts', 'secure-host-main.ts'),
    hostArgs: ['--security', securityFile],
  }
}

/** The sign-in instructions `vigil start` prints. */
export function signInLines(gateway: string, accounts: DemoAccounts, auditFile: string): string[] {
  const signIn = (account: DemoAccount) =>
    `bun run --silent vigil auth sign-in --key ${account.keyFile} --gateway ${gateway}`
  return [
    'sign in (EIP-4361; the token lasts 15 min):',
    `  operator ${accounts.operator.address}:  export TOKEN=$(${signIn(accounts.operator)})`,
    `  viewer   ${accounts.viewer.address}:  export VIEWER=$(${signIn(accounts.viewer)})`,
    `  audit log: bun run vigil audit tail --file ${auditFile}`,
  ]
}
