/**
 * A vigil domain on machines that are network namespaces (runtime/testing's
 * netns lab): `vigil domain init` for the hosts at their lab addresses, anvil
 * in a machine of its own (the contracts deployed on it from the operator's
 * workstation, the fog's Ethereum ledger actor anchoring the domain's batch
 * roots there), and on every machine the one command an operator
 * runs there, `vigil host start --config <its folder>`, inside its
 * namespace. For the netns end-to-end test and `bun run bench domain`.
 * Everything goes through the CLI (scripts/vigil.ts, run as a program).
 */
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { createNetnsLab, type NetnsLab, waitFor } from '../../runtime/testing/index.ts'
import type { ContractAddresses } from '../ethereum/contract-addresses.ts'
import { type ProvisionedChain, provisionChain } from '../ethereum/provision-chain.ts'
import { anvilRequest, resolveAnvilBinary } from '../ethereum/start-anvil.ts'
import { nodeStatus } from './node-status.ts'

const VIGIL = join(import.meta.dir, '..', '..', 'scripts', 'vigil.ts')

export type NetnsHostSpec = {
  readonly id: string
  readonly role: 'edge' | 'fog' | 'cloud'
  readonly validator: boolean
  /** Voting power (the fog's 2 of 4 lets either edge validator be down). */
  readonly power?: number | undefined
}

/**
 * 1 fog (validator), 3 edges (2 validators): the domain. The fog votes with power 2 of
 * 4, so blocks commit (> 2/3) with either edge validator down; with 3 equal powers they would not.
 */
export const NETNS_HOSTS: readonly NetnsHostSpec[] = [
  { id: 'fog-1', role: 'fog', validator: true, power: 2 },
  { id: 'edge-1', role: 'edge', validator: true },
  { id: 'edge-2', role: 'edge', validator: true },
  { id: 'edge-3', role: 'edge', validator: false },
]

export type Reply = { status: number; body: Record<string, unknown> }

export type NetnsDomain = {
  readonly lab: NetnsLab
  readonly dir: string
  readonly hosts: readonly NetnsHostSpec[]
  machineDir(hostId: string): string
  gateway(hostId: string): string
  cometRpc(hostId: string): string
  readonly anvilRpc: string
  /** The contract set deployed on the anvil machine (the fog's Ethereum ledger actor anchors). */
  readonly addresses: ContractAddresses
  /** The deployer's (the contracts' admin, the operator's) key and the addresses file. */
  readonly chain: ProvisionedChain
  /** Milliseconds from `vigil host start` to the host's ready report, per host. */
  readonly readyMs: Readonly<Record<string, number>>
  /** POST /v1/actors/<actor>/<message> on a host's gateway. */
  ask(hostId: string, actor: string, message: string, body: unknown): Promise<Reply>
  /** GET /v1/admin/<what> on a host's gateway with the operator's token for it. */
  admin(hostId: string, what: string): Promise<Reply>
  /** Runs the vigil CLI in the operator's (root) namespace. */
  cli(args: readonly string[]): { exitCode: number; stdout: string; stderr: string }
  /** Starts (again) a machine's command in its namespace; resolves once its host is ready. */
  startMachine(hostId: string): Promise<number>
  /** SIGTERM to a machine's command; resolves once it has exited. */
  stopMachine(hostId: string): Promise<void>
  stop(): Promise<void>
}

type DescriptionExtra = Record<string, unknown>

/** Creates the lab, initialises the domain, starts anvil and every machine. */
export async function startNetnsDomain(options: {
  dir: string
  hosts?: readonly NetnsHostSpec[] | undefined
  /** Extra fields of the domain description (e.g. mailboxCapacity), or made from anvil's RPC URL. */
  description?: DescriptionExtra | ((anvilRpc: string) => DescriptionExtra) | undefined
}): Promise<NetnsDomain> {
  const hosts = options.hosts ?? NETNS_HOSTS
  const lab = createNetnsLab([...hosts.map((h) => h.id), 'anvil'])
  try {
    return await startOnLab(lab, options.dir, hosts, options.description ?? {})
  } catch (error) {
    await lab.destroy()
    throw error
  }
}

async function startOnLab(
  lab: NetnsLab,
  dir: string,
  hosts: readonly NetnsHostSpec[],
  extra: DescriptionExtra | ((anvilRpc: string) => DescriptionExtra),
): Promise<NetnsDomain> {
  const address = (id: string) => lab.machine(id).address
  const anvilRpc = `http://${address('anvil')}:8545`
  lab.spawn(
    'anvil',
    [resolveAnvilBinary(), '--host', address('anvil'), '--port', '8545', '--silent'],
    { logFile: join(dir, 'anvil.log') },
  )
  const chain = await provisionAnvilMachine(anvilRpc, join(dir, 'ethereum'))
  const description = {
    domain: 'netns',
    hosts: hosts.map((h) => ({ ...h, address: address(h.id) })),
    ethereum: {
      rpcUrl: anvilRpc,
      chainId: 31337,
      anchoring: {
        addressesFile: chain.addressesFile,
        keyFile: (chain.accounts.anchorer as { keyFile: string }).keyFile,
        intervalMs: 200,
      },
    },
    ...(typeof extra === 'function' ? extra(anvilRpc) : extra),
  }
  await Bun.write(join(dir, 'domain.json'), JSON.stringify(description, null, 2))
  const init = cli([
    'domain',
    'init',
    '--hosts',
    join(dir, 'domain.json'),
    '--out',
    join(dir, 'domain'),
  ])
  if (init.exitCode !== 0) throw new Error(`vigil domain init failed: ${init.stderr}`)
  const machineDir = (id: string) => join(dir, 'domain', 'machines', id)
  const gateway = (id: string) => `http://${address(id)}:8080`
  const token = async (id: string) =>
    (await Bun.file(join(dir, 'domain', 'admin', 'tokens', `${id}.token`)).text()).trim()
  const { startMachine, stopMachine, readyMs } = machineStarter(lab, dir, machineDir)
  await Promise.all(hosts.map((h) => startMachine(h.id)))
  const cometRpc = (id: string) => `http://${address(id)}:26657`
  for (const h of hosts.filter((x) => x.validator)) {
    await waitFor(async () => (await nodeStatus(cometRpc(h.id))) !== null, {
      timeoutMs: 30_000,
      message: `cometbft on ${h.id}`,
    })
  }
  return {
    lab,
    dir,
    hosts,
    machineDir,
    gateway,
    cometRpc,
    anvilRpc,
    addresses: chain.addresses,
    chain,
    readyMs,
    ask: (id, actor, message, body) =>
      call(`${gateway(id)}/v1/actors/${actor}/${message}`, {
        method: 'POST',
        body: JSON.stringify(body),
      }),
    admin: async (id, what) =>
      call(`${gateway(id)}/v1/admin/${what}`, {
        headers: { authorization: `Bearer ${await token(id)}` },
      }),
    cli,
    startMachine,
    stopMachine,
    stop: () => lab.destroy(),
  }
}

/**
 * Once anvil answers on its machine: the contracts deployed from the operator's workstation and
 * an anchorer account for the domain's chain id (`vigil-netns`), which the fog's Ethereum ledger
 * actor anchors with.
 */
async function provisionAnvilMachine(rpcUrl: string, dir: string) {
  await waitFor(
    async () => {
      try {
        await anvilRequest(rpcUrl, 'eth_chainId', [])
        return true
      } catch {
        return false
      }
    },
    { timeoutMs: 15_000, message: `anvil answering on ${rpcUrl}` },
  )
  return provisionChain({
    dir,
    rpcUrl,
    chainId: 31337,
    anchorDomains: ['vigil-netns'],
    accounts: [{ name: 'anchorer', anchorer: true }],
  })
}

/** Runs the vigil CLI in the operator's (root) namespace. */
function cli(args: readonly string[]) {
  const run = Bun.spawnSync([process.execPath, VIGIL, ...args], { stdout: 'pipe', stderr: 'pipe' })
  return { exitCode: run.exitCode, stdout: run.stdout.toString(), stderr: run.stderr.toString() }
}

/** Starts and stops machines' commands in their namespaces, timing each host's start to ready. */
function machineStarter(lab: NetnsLab, dir: string, machineDir: (id: string) => string) {
  const running = new Map<string, Subprocess>()
  const readyMs: Record<string, number> = {}
  const startMachine = async (id: string) => {
    const startedAt = performance.now()
    const runFile = join(machineDir(id), 'run', 'host.json')
    await Bun.file(runFile)
      .delete()
      .catch(() => {})
    const log = join(dir, `${id}.${Date.now()}.log`)
    const cmd = [process.execPath, VIGIL, 'host', 'start', '--config', machineDir(id), '--json']
    running.set(id, lab.spawn(id, cmd, { logFile: log }))
    await waitFor(() => Bun.file(runFile).exists(), {
      timeoutMs: 30_000,
      message: `host ${id} ready (see ${log})`,
    })
    readyMs[id] = performance.now() - startedAt
    return readyMs[id] as number
  }
  const stopMachine = async (id: string) => {
    const proc = running.get(id)
    proc?.kill('SIGTERM')
    await proc?.exited
  }
  return { startMachine, stopMachine, readyMs }
}

async function call(url: string, init: RequestInit): Promise<Reply> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) })
  const text = await response.text()
  let body: Record<string, unknown>
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    body = { text }
  }
  return { status: response.status, body }
}
