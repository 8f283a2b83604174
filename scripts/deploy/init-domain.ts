/**
 * `vigil domain init`: from one domain description, one folder per machine
 * (`machines/<id>/`) and the operator's folder (`admin/`):
 * - each machine's own Ed25519 host key (`host.pem`, 0600), generated into
 *   that machine's folder only; on validators also CometBFT's node and
 *   validator keys (`cometbft init` in `cometbft/`); no private key is ever
 *   written into another machine's folder;
 * - the enrollment list signed by the operator key (`admin/operator.pem`,
 *   which stays in `admin/`), copied to every machine;
 * - on validators, the shared genesis (validator set, the ledger app's
 *   enrolled signers — the operator as admin, every host as node —, chain
 *   id) and config.toml with persistent peers by address;
 * - `host.json` (addresses, seeds, the deployed actors), `machine.json`,
 *   `ethereum.json` (RPC, chain id, contract addresses) when given;
 * - with `ethereum.anchoring`, the contracts' addresses file in every machine
 *   folder and the anchoring account's key in the fog machines' folders.
 */

import { existsSync } from 'node:fs'
import { chmod, mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  cometbftBinary,
  initValidatorHome,
  type ValidatorHome,
  writeDomainGenesis,
  writeValidatorConfig,
} from '../../ledger/index.ts'
import {
  ConfigError,
  type EnrolledHost,
  generateHostKey,
  type HostConfigInput,
  type HostKey,
  signEnrollmentList,
  writeHostKey,
} from '../../runtime/index.ts'
import { ANCHORING_FILES, domainActors } from './domain-actors.ts'
import { createDomainCa, type DomainCa, issueHostCertificate } from './domain-certificates.ts'
import type { DescribedHost, DomainDescription } from './domain-description.ts'
import { MACHINE_MANIFEST, type MachineManifest } from './machine-manifest.ts'

/** What `initDomain` made, for the CLI's summary and the tests. */
export type DomainLayout = {
  readonly out: string
  readonly adminDir: string
  readonly chainId: string
  readonly adminPublicKey: string
  machineDir(hostId: string): string
  gatewayUrl(hostId: string): string
}

/** The operator's view of the domain (`admin/domain.json`): where every host is. */
export type DomainIndex = {
  domain: string
  chainId: string
  hosts: {
    id: string
    role: string
    address: string
    validator: boolean
    gateway: string
    tokenFile: string
  }[]
}

/** Writes the machine folders and the admin folder under `out` (which must not hold a domain). */
export async function initDomain(options: {
  description: DomainDescription
  out: string
  binary?: string | undefined
}): Promise<DomainLayout> {
  const { description } = options
  const out = resolve(options.out)
  const adminDir = join(out, 'admin')
  if (existsSync(adminDir)) {
    throw new ConfigError(
      [
        {
          path: '--out',
          message: `${out} holds a domain already; choose an empty folder (keys are never overwritten)`,
        },
      ],
      out,
    )
  }
  const binary = options.binary ?? cometbftBinary()
  const chainId = description.chainId ?? `vigil-${description.domain}`
  const machineDir = (hostId: string) => join(out, 'machines', hostId)
  await mkdir(adminDir, { recursive: true, mode: 0o700 })
  const operator = generateHostKey()
  await writeHostKey(join(adminDir, 'operator.pem'), operator)
  const hostKeys = await writeHostKeys(description.hosts, machineDir)
  await writeEnrollment(description, operator, hostKeys, adminDir, machineDir)
  const validators = await initValidators(description, {
    binary,
    chainId,
    operator,
    hostKeys,
    machineDir,
  })
  const ca = description.tls
    ? await createDomainCa(join(adminDir, 'ca'), description.domain)
    : undefined
  const context = { description, chainId, operator, machineDir, validators, ca }
  for (const host of description.hosts) await writeMachine(host, context)
  await writeDomainIndex(adminDir, context)
  return {
    out,
    adminDir,
    chainId,
    adminPublicKey: operator.publicKeyBase64,
    machineDir,
    gatewayUrl: (hostId) => gatewayOf(hostById(description, hostId), description.tls),
  }
}

function hostById(description: DomainDescription, hostId: string): DescribedHost {
  const host = description.hosts.find((h) => h.id === hostId)
  if (!host) throw new Error(`no host ${hostId} in the domain`)
  return host
}

/** The gateway URL of a host (plain HTTP; HTTPS when the machine has a certificate). */
export function gatewayOf(host: DescribedHost, tls = false): string {
  return `${tls ? 'https' : 'http'}://${host.address}:${host.ports.http}`
}

/** One key per host, each written into its own machine folder only; plus its admin token. */
async function writeHostKeys(
  hosts: readonly DescribedHost[],
  machineDir: (id: string) => string,
): Promise<Map<string, HostKey>> {
  const keys = new Map<string, HostKey>()
  for (const host of hosts) {
    const dir = machineDir(host.id)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const key = generateHostKey()
    await writeHostKey(join(dir, 'host.pem'), key)
    keys.set(host.id, key)
  }
  return keys
}

/** The enrollment list, signed by the operator: in admin/ and (public) in every machine folder. */
async function writeEnrollment(
  description: DomainDescription,
  operator: HostKey,
  hostKeys: ReadonlyMap<string, HostKey>,
  adminDir: string,
  machineDir: (id: string) => string,
): Promise<void> {
  const entries: EnrolledHost[] = description.hosts.map((host) => ({
    hostId: host.id,
    role: host.role,
    publicKey: (hostKeys.get(host.id) as HostKey).publicKeyBase64,
  }))
  const text = JSON.stringify(signEnrollmentList(operator, description.domain, entries), null, 2)
  await Bun.write(join(adminDir, 'enrollment.json'), text)
  await mkdir(join(adminDir, 'tokens'), { recursive: true, mode: 0o700 })
  for (const host of description.hosts) {
    await Bun.write(join(machineDir(host.id), 'enrollment.json'), text)
    // The gateway's operator token: the machine's copy and the operator's.
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
    for (const file of [
      join(machineDir(host.id), 'admin.token'),
      join(adminDir, 'tokens', `${host.id}.token`),
    ]) {
      await Bun.write(file, token)
      await chmod(file, 0o600)
    }
  }
}

/** `cometbft init` on every validator's folder, then the shared genesis and each config. */
async function initValidators(
  description: DomainDescription,
  options: {
    binary: string
    chainId: string
    operator: HostKey
    hostKeys: ReadonlyMap<string, HostKey>
    machineDir: (id: string) => string
  },
): Promise<Map<string, ValidatorHome>> {
  const validators = description.hosts.filter((host) => host.validator)
  const homes = new Map<string, ValidatorHome>()
  for (const host of validators) {
    homes.set(
      host.id,
      await initValidatorHome(
        options.binary,
        join(options.machineDir(host.id), 'cometbft'),
        host.id,
        host.power,
      ),
    )
  }
  const hex = (key: HostKey) => Buffer.from(key.publicKeyBase64, 'base64').toString('hex')
  await writeDomainGenesis([...homes.values()], {
    chainId: options.chainId,
    appState: {
      signers: [
        { publicKeyHex: hex(options.operator), role: 'admin', name: 'operator' },
        ...description.hosts.map((host) => ({
          publicKeyHex: hex(options.hostKeys.get(host.id) as HostKey),
          role: 'node' as const,
          name: host.id,
        })),
      ],
    },
  })
  for (const host of validators) {
    const peers = validators
      .filter((other) => other.id !== host.id)
      .map(
        (other) =>
          `${(homes.get(other.id) as ValidatorHome).nodeId}@${other.address}:${other.ports.p2p}`,
      )
    await writeValidatorConfig(homes.get(host.id) as ValidatorHome, {
      listenAddress: host.address,
      p2pPort: host.ports.p2p,
      rpcPort: host.ports.cometRpc,
      abciPort: host.ports.abci,
      peers,
    })
  }
  return homes
}

type MachineContext = {
  description: DomainDescription
  chainId: string
  operator: HostKey
  machineDir: (id: string) => string
  validators: ReadonlyMap<string, ValidatorHome>
  ca: DomainCa | undefined
}

/** host.json, machine.json and ethereum.json of one machine. */
async function writeMachine(host: DescribedHost, context: MachineContext): Promise<void> {
  const { description } = context
  const dir = context.machineDir(host.id)
  const validators = description.hosts.filter((h) => h.validator)
  const seeds = description.hosts
    .filter((other) => other.id !== host.id && (other.role !== 'edge' || other.validator))
    .map((other) => `${other.address}:${other.ports.rpc}`)
  if (context.ca) await issueHostCertificate(context.ca, join(dir, 'tls'), host)
  const config: HostConfigInput = {
    id: host.id,
    role: host.role,
    labels: { ...host.labels, host: host.id },
    ...(host.capacity !== undefined ? { capacity: host.capacity } : {}),
    listen: {
      rpc: { hostname: host.address, port: host.ports.rpc },
      http: { hostname: host.address, port: host.ports.http },
    },
    ...(context.ca
      ? { tls: { certFile: join('tls', 'cert.pem'), keyFile: join('tls', 'key.pem') } }
      : {}),
    keyFile: 'host.pem',
    enrollmentFile: 'enrollment.json',
    adminPublicKey: context.operator.publicKeyBase64,
    adminTokenFile: 'admin.token',
    runFile: join('run', 'host.json'),
    seeds,
    heartbeatIntervalMs: description.heartbeatIntervalMs,
    suspicionTimeoutMs: description.suspicionTimeoutMs,
    // The production setting: messages are not serialised a second time inside a host.
    kernel: { simulateSerialization: false, mailboxCapacity: description.mailboxCapacity },
    actors: domainActors({
      description,
      chainId: context.chainId,
      cometRpcUrls: validators.map((v) => `http://${v.address}:${v.ports.cometRpc}`),
    }),
  }
  await Bun.write(join(dir, 'host.json'), JSON.stringify(config, null, 2))
  const manifest: MachineManifest = {
    hostId: host.id,
    domain: description.domain,
    hostConfig: 'host.json',
    ...(host.validator
      ? {
          validator: {
            home: 'cometbft',
            abciPort: host.ports.abci,
            rpcUrl: `http://${host.address}:${host.ports.cometRpc}`,
          },
        }
      : {}),
  }
  await Bun.write(join(dir, MACHINE_MANIFEST), JSON.stringify(manifest, null, 2))
  if (description.ethereum) {
    await Bun.write(join(dir, 'ethereum.json'), JSON.stringify(description.ethereum, null, 2))
    await copyAnchoringFiles(host, description.ethereum.anchoring, dir)
  }
}

/** The contract addresses to every machine; the anchorer's key (0600) to fog machines only. */
async function copyAnchoringFiles(
  host: DescribedHost,
  anchoring: NonNullable<DomainDescription['ethereum']>['anchoring'],
  dir: string,
): Promise<void> {
  if (!anchoring) return
  const copies: [string, string][] = [[anchoring.addressesFile, ANCHORING_FILES.addresses]]
  if (host.role === 'fog') copies.push([anchoring.keyFile, ANCHORING_FILES.key])
  for (const [from, to] of copies) {
    const source = Bun.file(resolve(from))
    if (!(await source.exists())) {
      throw new ConfigError(
        [{ path: 'ethereum.anchoring', message: `${from} not found` }],
        resolve(from),
      )
    }
    await Bun.write(join(dir, to), source)
    await chmod(join(dir, to), 0o600)
  }
}

async function writeDomainIndex(adminDir: string, context: MachineContext): Promise<void> {
  const index: DomainIndex = {
    domain: context.description.domain,
    chainId: context.chainId,
    hosts: context.description.hosts.map((host) => ({
      id: host.id,
      role: host.role,
      address: host.address,
      validator: host.validator,
      gateway: gatewayOf(host, context.description.tls),
      tokenFile: join('tokens', `${host.id}.token`),
    })),
  }
  await Bun.write(join(adminDir, 'domain.json'), JSON.stringify(index, null, 2))
}
