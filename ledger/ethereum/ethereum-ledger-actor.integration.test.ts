/**
 * The Ethereum ledger actor's handlers against a real anvil chain. Messages go through the
 * protocol's payload and reply schemas, as the kernel does at its boundary. The actor signs with
 * a host account holding only the anchorer role; an operator's admin handle writes the state it
 * reads.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zeroHash } from 'viem'
import type { ActorContext } from '../../runtime/index.ts'
import { TestClock, toWireError } from '../../runtime/index.ts'
import { MerkleTree } from '../merkle/merkle-tree.ts'
import { recordLeafHash } from '../merkle/record-leaf.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import { nodeTypeMask } from './access-decision.ts'
import { domainId, toBytes32Name } from './bytes32-name.ts'
import { writeContractAddresses } from './contract-addresses.ts'
import {
  type EthereumLedgerArgs,
  type EthereumLedgerState,
  ethereumLedgerActor,
} from './ethereum-ledger-actor.ts'
import { ethereumLedgerProtocol } from './ethereum-ledger-protocol.ts'
import {
  createTestChain,
  randomAddress,
  type TestAccount,
  type TestChain,
} from './testing/index.ts'
import { createVigilContracts, type VigilContracts } from './vigil-contracts.ts'

type Protocol = typeof ethereumLedgerProtocol
type MessageType = keyof Protocol

const EDGE = 1
const FOG = 2
// Starts at wall time: tokens are stamped with anvil's block time, which follows the wall clock.
const clock = new TestClock(Date.now())

/** Moves the test clock up to the latest block's time (anvil may run ahead of the wall clock). */
async function catchUpWithChain(): Promise<void> {
  const response = await fetch(args.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_getBlockByNumber',
      params: ['latest', false],
    }),
  })
  const { result } = (await response.json()) as { result: { timestamp: string } }
  const chainMs = Number(BigInt(result.timestamp)) * 1000
  if (chainMs > clock.now()) clock.advance(chainMs - clock.now())
}
const context: ActorContext = {
  self: 'ethereum-ledger',
  caller: undefined,
  clock,
  log: () => {},
  ask: () => Promise.reject(new Error('no peers in this test')),
  tell: () => {},
}

let chain: TestChain
let admin: VigilContracts
let host: TestAccount
let state: EthereumLedgerState
let args: EthereumLedgerArgs

/** Validates the payload, runs the handler, validates the reply: the kernel's boundary. */
async function send<Type extends MessageType>(type: Type, payload: unknown) {
  const spec = ethereumLedgerProtocol[type]
  const parsed = spec.payload.parse(payload)
  const handler = ethereumLedgerActor.receive[type] as (
    payload: unknown,
    state: EthereumLedgerState,
    context: ActorContext,
  ) => Promise<unknown>
  return spec.reply.parse(await handler(parsed, state, context)) as ReturnType<
    Protocol[Type]['reply']['parse']
  >
}

async function failure(pending: unknown) {
  const outcome = await Promise.resolve(pending).then(
    () => null,
    (error: unknown) => error,
  )
  if (outcome === null) throw new Error('expected the message to fail')
  return toWireError(outcome)
}

beforeAll(async () => {
  chain = await createTestChain()
  admin = createVigilContracts(chain.admin.clients, chain.addresses)
  // The host signs with its own account, which holds no admin role.
  host = await chain.newAccount()
  const dir = mkdtempSync(join(tmpdir(), 'vigil-eth-actor-'))
  const addressesFile = join(dir, 'addresses.json')
  await writeContractAddresses(addressesFile, chain.addresses)
  args = {
    chainId: chain.anvil.chainId,
    rpcUrl: chain.anvil.rpcUrl,
    keyFile: host.keyFile,
    addressesFile,
    pollingIntervalMs: 20,
  }
  state = await ethereumLedgerActor.init(args, context)
})

afterAll(async () => {
  await chain?.[Symbol.asyncDispose]()
})

describe('ethereumLedgerActor', () => {
  test('offers no administrative write, and declares the right each message needs', () => {
    const types = Object.keys(ethereumLedgerProtocol)
    for (const admin of ['create_zone', 'register_node', 'issue_token', 'set_privacy_access']) {
      expect(types).not.toContain(`eth.${admin}`)
    }
    for (const spec of Object.values(ethereumLedgerProtocol)) expect(spec.access).toBeDefined()
    expect(ethereumLedgerProtocol['eth.anchor'].access).toEqual({
      resource: '/ledger/anchors',
      action: 'admin',
    })
  })

  test('reads nodes an operator registered, moved and removed', async () => {
    const node = randomAddress()
    const peer = randomAddress()
    await admin.identityRegistry.write('createZone', [toBytes32Name('zone-a'), chain.admin.address])
    await admin.identityRegistry.write('createZone', [toBytes32Name('zone-b'), chain.admin.address])
    await admin.identityRegistry.write('registerNode', [node, FOG, toBytes32Name('zone-a')])
    expect(await send('eth.get_node', { node })).toEqual({
      registered: true,
      nodeType: 'fog',
      zone: 'zone-a',
    })
    expect(await send('eth.get_node', { node: randomAddress() })).toEqual({
      registered: false,
      nodeType: 'none',
      zone: '',
    })
    await admin.identityRegistry.write('moveNode', [node, toBytes32Name('zone-b')])
    await admin.identityRegistry.write('registerNode', [peer, EDGE, toBytes32Name('zone-b')])
    expect(await send('eth.same_zone', { a: node, b: peer })).toEqual({ sameZone: true })
    await admin.identityRegistry.write('removeNode', [node])
    expect(await send('eth.same_zone', { a: node, b: peer })).toEqual({ sameZone: false })
  })

  test('evaluates a token an issuer granted at the clock time, and denies the rest', async () => {
    const subject = randomAddress()
    await admin.identityRegistry.write('registerNode', [subject, EDGE, toBytes32Name('zone-a')])
    const now = Math.floor(clock.now() / 1000)
    const any = { startSecond: 0, endSecond: 0, zoneId: zeroHash, nodeTypes: 0 }
    await admin.capabilityAccessControl.write('issueToken', [
      subject,
      BigInt(now + 3600),
      [
        { ...any, resource: '/enf/records', action: 'GET' },
        { ...any, resource: '/keys', action: 'ROTATE', nodeTypes: nodeTypeMask(['cloud']) },
      ],
    ])
    await catchUpWithChain()
    const check = (resource: string, action: string, at?: number) =>
      send('eth.check_access', { subject, resource, action, ...(at ? { at } : {}) })
    expect(await check('/enf/records', 'GET')).toEqual({ allowed: true, decision: 'Allowed' })
    expect(await check('/keys', 'ROTATE')).toEqual({ allowed: false, decision: 'ConditionNotMet' })
    expect(await check('/enf/records', 'GET', now + 7200)).toEqual({
      allowed: false,
      decision: 'Expired',
    })
    const denied = await failure(
      send('eth.authorize', { subject, resource: '/keys', action: 'ROTATE' }),
    )
    expect({ code: denied.code, decision: denied.meta?.decision }).toEqual({
      code: 'ACCESS_DENIED',
      decision: 'ConditionNotMet',
    })
    await admin.capabilityAccessControl.write('revokeToken', [subject])
    expect(await check('/enf/records', 'GET')).toEqual({ allowed: false, decision: 'Revoked' })
  })

  test('reads privacy decisions an owner set', async () => {
    const camera = randomAddress()
    const viewer = randomAddress()
    await admin.privacyPolicy.write('setPolicy', [camera, 1 | 4])
    const see = (attribute: string) =>
      send('eth.may_see', { owner: camera, subject: viewer, attribute })
    expect(await see('faces')).toEqual({ allowed: false })
    expect(await see('people')).toEqual({ allowed: true })
    await admin.privacyPolicy.write('setSubjectAccess', [camera, viewer, 1])
    expect(await see('faces')).toEqual({ allowed: true })
  })

  test('refuses to sign with a contract admin key, and to anchor without the anchorer role', async () => {
    const adminKey = await failure(
      ethereumLedgerActor.init({ ...args, keyFile: chain.admin.keyFile }, context),
    )
    expect(adminKey.code).toBe('ETH_KEY_IS_ADMIN')
    const anchoring = {
      domain: 'domain-nobody-granted',
      cometbftRpcUrl: 'http://127.0.0.1:1',
      intervalMs: 60_000,
    }
    const notAnchorer = await failure(ethereumLedgerActor.init({ ...args, anchoring }, context))
    expect(notAnchorer.code).toBe('ETH_NOT_ANCHORER')
  })

  test('anchors a batch root and verifies a receipt of it; a forged receipt fails', async () => {
    const domain = 'domain-a'
    await admin.anchor.write('grantAnchorer', [domainId(domain), host.address])
    const records: LedgerRecord[] = ['r0', 'r1', 'r2'].map((r, i) => ({
      kind: 'feature_hash',
      key: `k${i}`,
      dataHex: Buffer.from(r).toString('hex'),
    }))
    const merkle = new MerkleTree(records.map(recordLeafHash))
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
    const tree = {
      root: hex(merkle.root),
      leafHashes: records.map((_, i) => hex(merkle.leaf(i))),
      auditPath: (i: number) => merkle.auditPath(i).map(hex),
    }
    const batchId = 'ab'.repeat(32)
    await send('eth.anchor', { domain, height: 5, batchId, root: tree.root, treeSize: 3 })
    expect(await send('eth.get_anchor', { domain, height: 5, batchId })).toMatchObject({
      anchored: true,
      root: tree.root,
      treeSize: 3,
    })
    const receipt: Receipt = {
      record: records[1] as LedgerRecord,
      leafHash: tree.leafHashes[1] as string,
      leafIndex: 1,
      treeSize: 3,
      auditPath: tree.auditPath(1),
      batchRoot: tree.root,
      batchId,
      chainId: domain,
      height: 5,
      txHash: batchId,
    }
    expect(await send('eth.verify_anchored_receipt', { receipt })).toMatchObject({ valid: true })
    const forged = { ...receipt, record: records[0] as LedgerRecord }
    expect(await send('eth.verify_anchored_receipt', { receipt: forged })).toMatchObject({
      valid: false,
    })
    const conflict = await failure(
      send('eth.anchor', { domain, height: 5, batchId, root: tree.leafHashes[0], treeSize: 3 }),
    )
    expect(conflict.meta?.errorName).toBe('AnchorConflict')
  })

  test('refuses bad init arguments, a foreign chain, a bad key file and a dead endpoint', async () => {
    const bad = await failure(ethereumLedgerActor.init({ ...args, chainId: -1 }, context))
    expect(bad.code).toBe('CONFIG_INVALID')
    const { addressesFile: _, ...withoutAddresses } = args
    expect((await failure(ethereumLedgerActor.init(withoutAddresses, context))).code).toBe(
      'CONFIG_INVALID',
    )
    expect((await failure(ethereumLedgerActor.init({ ...args, chainId: 1 }, context))).code).toBe(
      'ETH_CHAIN_MISMATCH',
    )
    const dir = mkdtempSync(join(tmpdir(), 'vigil-eth-badkey-'))
    const badKey = join(dir, 'key.hex')
    await Bun.write(badKey, 'not a key')
    const keyError = await failure(ethereumLedgerActor.init({ ...args, keyFile: badKey }, context))
    expect(keyError.code).toBe('ETH_KEY_FILE_INVALID')
    expect(keyError.message).not.toContain('not a key')
    // A port nobody listens on (bound, then released), with credentials in the URL.
    const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
    const port = probe.port
    probe.stop(true)
    const dead = await failure(
      ethereumLedgerActor.init(
        { ...args, rpcUrl: `http://user:hunter2secret@127.0.0.1:${port}/` },
        context,
      ),
    )
    expect(dead.code).toBe('ETH_RPC_UNAVAILABLE')
    expect(JSON.stringify(dead)).not.toContain('hunter2secret')
  })
})
