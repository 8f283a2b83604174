/**
 * The Ethereum ledger actor run by the kernel: in its own worker, messages validated against its
 * protocol at the boundary, errors crossing back as wire errors — against a real anvil chain.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ActorSystem, BaseError, createActorSystem } from '../../runtime/index.ts'
import { rejectionOf } from '../../runtime/testing/index.ts'
import { toBytes32Name } from './bytes32-name.ts'
import { writeContractAddresses } from './contract-addresses.ts'
import type { EthereumLedgerArgs } from './ethereum-ledger-actor.ts'
import { createTestChain, randomAddress, type TestChain } from './testing/index.ts'
import { createVigilContracts, type VigilContracts } from './vigil-contracts.ts'

const source = {
  module: new URL('./ethereum-ledger-actor.ts', import.meta.url).href,
  export: 'ethereumLedgerActor',
}

let chain: TestChain
let admin: VigilContracts
let system: ActorSystem

beforeAll(async () => {
  chain = await createTestChain()
  admin = createVigilContracts(chain.admin.clients, chain.addresses)
  const addressesFile = join(mkdtempSync(join(tmpdir(), 'vigil-eth-kernel-')), 'addresses.json')
  await writeContractAddresses(addressesFile, chain.addresses)
  const args: EthereumLedgerArgs = {
    chainId: chain.anvil.chainId,
    rpcUrl: chain.anvil.rpcUrl,
    keyFile: (await chain.newAccount()).keyFile,
    addressesFile,
    pollingIntervalMs: 20,
  }
  system = createActorSystem()
  await system.spawn('ethereum-ledger', source, { args })
})

afterAll(async () => {
  await system?.shutdown({ deadlineMs: 2_000 })
  await chain?.[Symbol.asyncDispose]()
})

describe('ethereumLedgerActor in the kernel', () => {
  test('reads a node an operator registered, from its worker', async () => {
    const node = randomAddress()
    await admin.identityRegistry.write('createZone', [toBytes32Name('zone-k'), chain.admin.address])
    await admin.identityRegistry.write('registerNode', [node, 1, toBytes32Name('zone-k')])
    expect(await system.ask('ethereum-ledger', 'eth.get_node', { node })).toEqual({
      registered: true,
      nodeType: 'edge',
      zone: 'zone-k',
    })
    expect(
      await system.ask('ethereum-ledger', 'eth.check_access', {
        subject: node,
        resource: '/enf/records',
        action: 'GET',
      }),
    ).toEqual({ allowed: false, decision: 'NoToken' })
  })

  test('has no administrative messages to send', async () => {
    const error = await rejectionOf(
      system.ask('ethereum-ledger', 'eth.register_node', {
        node: randomAddress(),
        nodeType: 'edge',
        zone: 'zone-k',
      }),
    )
    expect(BaseError.is(error)).toBe(true)
    expect(system.stats('ethereum-ledger')).toMatchObject({ restarts: 0, status: 'running' })
  })

  test('returns a contract refusal as ETH_TX_REVERTED and keeps running', async () => {
    const error = await rejectionOf(
      system.ask('ethereum-ledger', 'eth.anchor', {
        domain: 'domain-not-granted',
        height: 1,
        batchId: 'ab'.repeat(32),
        root: 'cd'.repeat(32),
        treeSize: 1,
      }),
    )
    expect((error as BaseError).code).toBe('ETH_TX_REVERTED')
    expect((error as BaseError).meta?.errorName).toBe('NotAnchorer')
    expect(system.stats('ethereum-ledger')).toMatchObject({ restarts: 0, status: 'running' })
  })

  test('rejects a malformed payload at the boundary', async () => {
    const error = await rejectionOf(
      system.ask('ethereum-ledger', 'eth.get_node', { node: 'not-an-address' }),
    )
    expect((error as BaseError).code).toBe('PROTOCOL_VIOLATION')
  })
})
