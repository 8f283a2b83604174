/**
 * `vigil start` (what `npm start` runs): vigil's embedded default, a whole
 * one-machine domain on loopback:
 * - a CometBFT localnet (4 validators, each with its own ABCI app process)
 *   as the intra-domain ledger;
 * - anvil with 1 s blocks and vigil's contracts deployed, as the
 *   inter-domain ledger;
 * - one fog and two edge hosts as separate processes, running the ledger
 *   actors (fog), an ENF fingerprint actor per camera (its edge host) and an
 *   echo service everywhere.
 * Everything is generated under `--dir` (default `.data/vigil`, wiped at each
 * start: the demo domain is disposable). Prints where the gateway is and runs
 * until Ctrl-C, then stops every process it started.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { databaseConfigSchema } from '../actors/fog-db/index.ts'
import { surveillanceDeployables } from '../actors/surveillance/index.ts'
import {
  createCometbftLedger,
  type Localnet,
  startLocalChain,
  startLocalnet,
} from '../ledger/index.ts'
import {
  type Command,
  type DomainActorSpec,
  loadConfig,
  readHostKey,
  startDomain,
  waitForStopSignal,
} from '../runtime/index.ts'
import { demoHosts, demoPrivacy, demoSurveillance, echoService } from './demo-domain.ts'
import {
  provisionDemoAccounts,
  registerDemoHosts,
  securedHostEntry,
  securityActors,
  signInLines,
} from './security-composition.ts'

const ROOT = resolve(import.meta.dir, '..')

/** The host whose ledger actor signs the domain's CometBFT transactions with its own key. */
const LEDGER_HOST = 'fog-1'

/**
 * Enrolls the ledger host's own key as a ledger signer: the localnet's admin key enrolls it,
 * as an operator enrolls a new host (the host's key exists only once the domain files do).
 */
async function enrollLedgerHost(localnet: Localnet, hostKeyFile: string): Promise<void> {
  const hostKey = await readHostKey(hostKeyFile)
  const publicKeyHex = Buffer.from(hostKey.publicKeyBase64, 'base64').toString('hex')
  const admin = await createCometbftLedger({ rpcUrls: localnet.rpcUrls, signer: localnet.adminKey })
  try {
    await admin.enroll(publicKeyHex, 'node', LEDGER_HOST)
  } finally {
    await admin.close()
  }
}

/** The started hosts with their enrolled keys (and fog-1's own chain account), for the identity registry. */
async function demoHostsOnChain(
  domain: {
    hosts: ReadonlyMap<string, { id: string; role: 'edge' | 'fog' | 'cloud' }>
    files: { keyFile(id: string): string }
  },
  chain: { accounts: Readonly<Record<string, { address: `0x${string}` }>> },
) {
  return Promise.all(
    [...domain.hosts.values()].map(async (host) => ({
      id: host.id,
      role: host.role,
      publicKey: (await readHostKey(domain.files.keyFile(host.id))).publicKeyBase64,
      address: chain.accounts[host.id]?.address,
    })),
  )
}

/** The actors of the embedded default deployment. */
export function defaultActors(options: {
  edges: number
  domainDir: string
  /** The only folder the ENF actors read recordings from. */
  mediaRoot: string
  cometbft: { rpcUrls: readonly string[]; chainId: string }
  /** PostgreSQL URL of the fog master database (config database.url); absent: SQLite. */
  databaseUrl?: string | undefined
  ethereum: { chainId: number; rpcUrl: string; keyFile: string; addressesFile: string }
  /** Camera 1's account (PrivacyPolicy owner); absent: no privacy service. */
  cameraAccount?: string | undefined
}): DomainActorSpec[] {
  const actors: DomainActorSpec[] = [echoService()]
  actors.push(
    {
      name: 'ledger',
      module: join(ROOT, 'ledger', 'cometbft', 'cometbft-ledger-actor.ts'),
      args: {
        rpcUrls: [...options.cometbft.rpcUrls],
        // The fog host signs with its own key (enrolled by enrollLedgerHost), never a validator's.
        signerKeyFile: join(options.domainDir, 'keys', `${LEDGER_HOST}.pem`),
        chainId: options.cometbft.chainId,
      },
      placement: { role: 'fog' },
    },
    {
      name: 'ethereum',
      module: join(ROOT, 'ledger', 'ethereum', 'ethereum-ledger-actor.ts'),
      args: {
        chainId: options.ethereum.chainId,
        rpcUrl: options.ethereum.rpcUrl,
        keyFile: options.ethereum.keyFile,
        addressesFile: options.ethereum.addressesFile,
        anchoring: {
          domain: options.cometbft.chainId,
          cometbftRpcUrl: options.cometbft.rpcUrls[0],
        },
      },
      placement: { role: 'fog' },
    },
  )
  actors.push(...fogDataActors(options))
  for (let i = 1; i <= options.edges; i++) {
    actors.push({
      name: `integrity-cam-${i}`,
      module: join(ROOT, 'actors', 'integrity', 'integrity-actor.ts'),
      // Records are signed with the edge host's own key and forwarded to the fog master database.
      args: {
        hostId: `edge-${i}`,
        signingKeyPath: join(options.domainDir, 'keys', `edge-${i}.pem`),
        ledgerActor: 'ledger',
        ethereumActor: 'ethereum',
        forwardTo: 'fog-db',
      },
      placement: { role: 'edge', labels: { camera: `cam-${i}` } },
    })
    actors.push({
      name: `enf-cam-${i}`,
      module: join(ROOT, 'actors', 'enf-fingerprint', 'enf-fingerprint-actor.ts'),
      // The edge host's own identity key signs its fingerprints.
      args: {
        signingKeyPath: join(options.domainDir, 'keys', `edge-${i}.pem`),
        ledgerActor: 'ledger',
        identityActor: 'identity',
        mediaRoot: options.mediaRoot,
        nominal: 50,
      },
      placement: { role: 'edge', labels: { camera: `cam-${i}` } },
    })
  }
  actors.push(...demoSurveillance())
  if (options.cameraAccount !== undefined)
    actors.push(demoPrivacy({ domainDir: options.domainDir, cameraAccount: options.cameraAccount }))
  return actors
}

/** The fog master database and the fog's integrity (audit) actor. */
function fogDataActors(options: {
  domainDir: string
  databaseUrl?: string | undefined
}): DomainActorSpec[] {
  return [
    {
      name: 'fog-db',
      module: join(ROOT, 'actors', 'fog-db', 'fog-db-actor.ts'),
      // Embedded SQLite under the data dir; a PostgreSQL URL here (databaseUrl) for a fog site of
      // several machines.
      args: {
        databaseFile: join(options.domainDir, 'fog', 'fog.sqlite'),
        ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
        ledgerActor: 'ledger',
      },
      placement: { role: 'fog' },
      // The one writer the fog's ingests wait on: ahead of the host's other busy threads (refused
      // without CAP_SYS_NICE; the host logs actor.priority_refused and it runs anyway).
      priority: 'high',
    },
    {
      name: 'integrity-fog',
      module: join(ROOT, 'actors', 'integrity', 'integrity-actor.ts'),
      args: { hostId: LEDGER_HOST, fogDbActor: 'fog-db', ethereumActor: 'ethereum' },
      placement: { role: 'fog' },
    },
  ]
}

export const startCommand: Command = {
  name: 'start',
  summary:
    'start the one-machine domain: CometBFT validators, anvil with the contracts, 1 fog + 2 edge hosts',
  options: {
    dir: {
      type: 'string',
      description: 'where keys, configs, chain data and run files go (wiped at start)',
      default: '.data/vigil',
    },
    edges: { type: 'string', description: 'number of edge hosts', default: '2' },
    validators: { type: 'string', description: 'number of CometBFT validators', default: '4' },
    verbose: { type: 'boolean', description: 'print every host log line' },
    once: {
      type: 'boolean',
      description: 'stop again as soon as everything is up (a smoke test of the set-up)',
    },
  },
  async run({ values, out }) {
    const { dir, edges, validators } = parseStartOptions(values)
    await rm(dir, { recursive: true, force: true })
    const stops: (() => Promise<void>)[] = []
    try {
      const { localnet, chain, accounts } = await startChains(dir, validators, out, stops)
      const domain = await startDemoDomain({
        dir,
        edges,
        cameraAccount: accounts.camera.address,
        localnet,
        chain,
        stops,
        out,
        verbose: values.verbose === true,
      })
      out('')
      for (const host of domain.hosts.values()) {
        out(
          `  ${host.id.padEnd(7)} pid ${host.run.pid}  rpc ${host.run.rpc}  gateway ${host.run.http}`,
        )
      }
      await printHowToUse(domain, { dir, accounts, out })
      if (values.once) {
        out('vigil: everything is up (--once): stopping.')
        return 0
      }
      out('Ctrl-C stops the domain.')
      await waitForStopSignal()
      out('vigil: stopping…')
      return 0
    } finally {
      for (const stop of stops.reverse()) await stop().catch(() => {})
    }
  },
}

type Out = (text: string) => void

/** `--dir`, `--edges`, `--validators`, checked. */
function parseStartOptions(values: Readonly<Record<string, unknown>>) {
  const dir = resolve(String(values.dir))
  const edges = Number(values.edges)
  const validators = Number(values.validators)
  if (!Number.isInteger(edges) || edges < 1) throw new Error('--edges must be an integer ≥ 1')
  if (!Number.isInteger(validators) || validators < 1) {
    throw new Error('--validators must be an integer ≥ 1')
  }
  return { dir, edges, validators }
}

/** The two ledgers: a CometBFT localnet and anvil with the contracts and the demo accounts. */
async function startChains(
  dir: string,
  validators: number,
  out: Out,
  stops: (() => Promise<void>)[],
) {
  out(`vigil: starting a CometBFT localnet (${validators} validators)…`)
  const localnet = await startLocalnet({ validators, dir: join(dir, 'cometbft') })
  stops.push(() => localnet.stop())
  out(`  chain ${localnet.chainId}: ${localnet.rpcUrls.join(', ')}`)

  out('vigil: starting anvil (1 s blocks) and deploying the contracts…')
  const chain = await startLocalChain({
    dir: join(dir, 'ethereum'),
    blockTimeSeconds: 1,
    anchorDomains: [localnet.chainId],
    // The Ethereum ledger actor's host may only anchor; access-control may only issue.
    accounts: [
      { name: 'fog-1', anchorer: true },
      { name: 'access-control', issuer: true },
    ],
  })
  stops.push(() => chain.stop())
  out(`  chain ${chain.chainId}: ${chain.rpcUrl}  contracts: ${chain.addressesFile}`)
  const accounts = await provisionDemoAccounts(dir, chain)
  out(`  demo accounts (keys in ${join(dir, 'accounts')}): operator, viewer`)
  return { localnet, chain, accounts }
}

type Chains = Awaited<ReturnType<typeof startChains>>

/** The hosts with the security and default actors, their keys enrolled on both ledgers. */
async function startDemoDomain(options: {
  dir: string
  edges: number
  localnet: Chains['localnet']
  chain: Chains['chain']
  stops: (() => Promise<void>)[]
  out: Out
  verbose: boolean
  cameraAccount: string
}) {
  const { dir, edges, localnet, chain, out } = options
  const domainDir = join(dir, 'domain')
  const mediaRoot = join(dir, 'media')
  await mkdir(mediaRoot, { recursive: true })
  out(`vigil: starting the hosts (fog-1, ${edges} edge)…`)
  const domain = await startDomain({
    dir: domainDir,
    hosts: demoHosts({ edges }),
    ...(await securedHostEntry(dir)),
    actors: [
      ...securityActors({
        domain: 'local',
        chain,
        issuerKeyFile: (chain.accounts['access-control'] as { keyFile: string }).keyFile,
      }),
      ...defaultActors({
        edges,
        domainDir,
        mediaRoot,
        cometbft: { rpcUrls: localnet.rpcUrls, chainId: localnet.chainId },
        // database.url (config file or VIGIL_DATABASE__URL): PostgreSQL; else SQLite here.
        databaseUrl: (await loadConfig({ schema: databaseConfigSchema, env: Bun.env })).database
          .url,
        ethereum: {
          chainId: chain.chainId,
          rpcUrl: chain.rpcUrl,
          keyFile: (chain.accounts['fog-1'] as { keyFile: string }).keyFile,
          addressesFile: chain.addressesFile,
        },
        cameraAccount: options.cameraAccount,
      }),
    ],
    // `vigil surveil run --domain` may add cameras' pipelines to the running demo.
    hostConfig: { deployable: surveillanceDeployables() },
    onLog: options.verbose ? (id, line) => out(`[${id}] ${line}`) : undefined,
  })
  options.stops.push(() => domain.stop())
  await enrollLedgerHost(localnet, domain.files.keyFile(LEDGER_HOST))
  await registerDemoHosts(dir, chain, await demoHostsOnChain(domain, chain))
  return domain
}

/** Copies the demo recording into the media folder and prints the gateway and example calls. */
async function printHowToUse(
  domain: { gatewayUrl: string; dir: string },
  options: { dir: string; accounts: Chains['accounts']; out: Out },
): Promise<void> {
  const { dir, accounts, out } = options
  const gw = domain.gatewayUrl
  const mediaRoot = join(dir, 'media')
  // The demo recording carried in the repository (scripts/demo-media/README.md says where it is from).
  const sample = join(ROOT, 'scripts', 'demo-media', 'demo-recording.wav')
  // A sample recording in the media folder: requests name files relative to it.
  if (await Bun.file(sample).exists()) await copyFile(sample, join(mediaRoot, basename(sample)))
  out('')
  out(`gateway: ${gw}`)
  out(`dashboard: ${gw}/dashboard  (sign in there with the operator's key file)`)
  for (const line of signInLines(gw, accounts, join(dir, 'audit.log'))) out(line)
  const auth = '-H "authorization: Bearer $TOKEN"'
  out(`  echo:    curl -s ${auth} -X POST ${gw}/v1/actors/echo/echo.say -d '{"text":"hello"}'`)
  out(`  ledger:  curl -s ${auth} -X POST ${gw}/v1/actors/ledger/ledger.status -d '{}'`)
  out(
    `  enf:     curl -s ${auth} -X POST ${gw}/v1/actors/enf-cam-1/enf.record -d '{"recordingId":"demo-1","audioPath":"${basename(sample)}"}'`,
  )
  for (const line of integrityLines(gw, auth)) out(line)
  out(
    `  cameras: curl -s ${auth} ${gw}/v1/cameras; curl -s ${auth} -o cam-1.png ${gw}/v1/cameras/cam-1/snapshot.png (viewer: scrambled; operator: clear)`,
  )
  out(`  api:     ${gw}/v1/openapi.json   metrics: ${gw}/metrics`)
  out(`  actors:  bun run vigil actors ls --config ${join(domain.dir, 'hosts', 'fog-1.json')}`)
}

/** The curl lines that record a detection at the edge and query it back from the fog database. */
function integrityLines(gw: string, auth: string): string[] {
  const detection = {
    table: 'detections',
    id: 'demo-det-1',
    data: {
      cameraId: 'cam-1',
      segmentId: null,
      tsMs: 1764547200000,
      label: 'person',
      confidence: 0.9,
      bbox: [0.1, 0.2, 0.3, 0.4],
    },
  }
  return [
    `  record:  curl -s ${auth} -X POST ${gw}/v1/actors/integrity-cam-1/integrity.record -d '${JSON.stringify({ records: [detection] })}'`,
    `  query:   curl -s ${auth} -X POST ${gw}/v1/actors/fog-db/fogdb.query -d '{"table":"detections","cameraId":"cam-1"}'`,
  ]
}
