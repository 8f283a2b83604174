/**
 * The Ethereum ledger actor's handlers against a real anvil chain. Messages go through the
 * protocol's payload and reply schemas, as the kernel does at its boundary. (The kernel's
 * worker runtime is not merged on this branch yet; see the report.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import type { ActorContext } from '../../runtime/actor/define-actor.ts'
import { TestClock } from '../../runtime/clock/test-clock.ts'
import { toWireError } from '../../runtime/errors/base-error.ts'
import { MerkleTree } from '../merkle/merkle-tree.ts'
import { recordLeafHash } from '../merkle/record-leaf.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import { domainId } from './bytes32-name.ts'
import { writeContractAddresses } from './contract-addresses.ts'
import {
  type EthereumLedgerArgs,
  type EthereumLedgerState,
  ethereumLedgerActor,
} from './ethereum-ledger-actor.ts'
import { ethereumLedgerProtocol } from './ethereum-ledger-protocol.ts'
import { createTestChain, type TestChain } from './testing/create-test-chain.ts'
import { createVigilContracts } from './vigil-contracts.ts'

type Protocol = typeof ethereumLedgerProtocol
type MessageType = keyof Protocol

const randomAddress = (): Address => privateKeyToAccount(generatePrivateKey()).address
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
  const dir = mkdtempSync(join(tmpdir(), 'vigil-eth-actor-'))
  const addressesFile = join(dir, 'addresses.json')
  await writeContractAddresses(addressesFile, chain.addresses)
  args = {
    chainId: chain.anvil.chainId,
    rpcUrl: chain.anvil.rpcUrl,
    keyFile: chain.admin.keyFile,
    addressesFile,
    pollingIntervalMs: 20,
  }
  state = await ethereumLedgerActor.init(args, context)
})

afterAll(async () => {
  await chain?.[Symbol.asyncDispose]()
})

describe('ethereumLedgerActor', () => {
  test('registers a node in a new zone and reads it back', async () => {
    const node = randomAddress()
    const zone = await send('eth.create_zone', { zone: 'zone-a', master: chain.admin.address })
    expect(zone.gasUsed).toBeGreaterThan(0)
    const registered = await send('eth.register_node', { node, nodeType: 'fog', zone: 'zone-a' })
    expect(registered.txHash).toMatch(/^0x[0-9a-f]{64}$/)
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
  })

  test('answers a refused write with ETH_TX_REVERTED naming the custom error', async () => {
    const wire = await failure(
      send('eth.register_node', { node: randomAddress(), nodeType: 'edge', zone: 'nowhere' }),
    )
    expect(wire.code).toBe('ETH_TX_REVERTED')
    expect(wire.meta?.errorName).toBe('UnknownZone')
  })

  test('issues a token, allows what it grants at the clock time and denies the rest', async () => {
    const subject = randomAddress()
    await send('eth.register_node', { node: subject, nodeType: 'edge', zone: 'zone-a' })
    const now = Math.floor(clock.now() / 1000)
    await send('eth.issue_token', {
      subject,
      expiresAt: now + 3600,
      rights: [
        { resource: '/enf/records', action: 'GET' },
        { resource: '/video/live', action: 'VIEW', zone: 'zone-a', nodeTypes: ['edge', 'fog'] },
        { resource: '/keys', action: 'ROTATE', nodeTypes: ['cloud'] },
      ],
    })
    await catchUpWithChain()
    const check = (resource: string, action: string, at?: number) =>
      send('eth.check_access', { subject, resource, action, ...(at ? { at } : {}) })
    expect(await check('/enf/records', 'GET')).toEqual({ allowed: true, decision: 'Allowed' })
    expect(await check('/video/live', 'VIEW')).toEqual({ allowed: true, decision: 'Allowed' })
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
    expect(
      await send('eth.authorize', { subject, resource: '/enf/records', action: 'GET' }),
    ).toEqual({ allowed: true })
    await send('eth.update_token', {
      subject,
      expiresAt: now + 3600,
      rights: [{ resource: '/keys', action: 'ROTATE' }],
    })
    expect((await check('/keys', 'ROTATE')).allowed).toBe(true)
    await send('eth.revoke_token', { subject })
    expect(await check('/keys', 'ROTATE')).toEqual({ allowed: false, decision: 'Revoked' })
  })

  test('rejects a payload with a bad right before anything is sent', () => {
    expect(() =>
      ethereumLedgerProtocol['eth.issue_token'].payload.parse({
        subject: randomAddress(),
        expiresAt: 1,
        rights: [
          { resource: '/x', action: 'GET', timeWindow: { startSecond: 0, endSecond: 90_000 } },
        ],
      }),
    ).toThrow()
  })

  test('moves and removes nodes', async () => {
    const node = randomAddress()
    await send('eth.create_zone', { zone: 'zone-b', master: chain.admin.address })
    await send('eth.register_node', { node, nodeType: 'user', zone: 'zone-a' })
    await send('eth.move_node', { node, zone: 'zone-b' })
    expect((await send('eth.get_node', { node })).zone).toBe('zone-b')
    const peer = randomAddress()
    await send('eth.register_node', { node: peer, nodeType: 'edge', zone: 'zone-b' })
    expect(await send('eth.same_zone', { a: node, b: peer })).toEqual({ sameZone: true })
    await send('eth.remove_node', { node })
    expect((await send('eth.get_node', { node })).registered).toBe(false)
    expect(await send('eth.same_zone', { a: node, b: peer })).toEqual({ sameZone: false })
  })

  test('keeps sensitive attributes scrambled except for granted subjects and roles', async () => {
    const camera = randomAddress()
    const viewer = randomAddress()
    await send('eth.set_privacy_policy', { owner: camera, sensitive: ['faces', 'plates'] })
    const see = (attribute: string) =>
      send('eth.may_see', { owner: camera, subject: viewer, attribute })
    expect(await see('faces')).toEqual({ allowed: false })
    expect(await see('people')).toEqual({ allowed: true })
    await send('eth.set_privacy_access', {
      owner: camera,
      grantee: { subject: viewer },
      attributes: ['faces'],
    })
    expect(await see('faces')).toEqual({ allowed: true })
    await send('eth.set_privacy_access', {
      owner: camera,
      grantee: { role: 'investigator' },
      attributes: ['plates'],
    })
    expect(await see('plates')).toEqual({ allowed: false })
  })

  test('anchors a batch root and verifies a receipt of it; a forged receipt fails', async () => {
    const domain = 'domain-a'
    const admin = createVigilContracts(chain.admin.clients, chain.addresses)
    await admin.anchor.write('grantAnchorer', [domainId(domain), chain.admin.address])
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
