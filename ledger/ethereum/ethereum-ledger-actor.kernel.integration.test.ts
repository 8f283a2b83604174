/**
 * The Ethereum ledger actor run by the kernel: in its own worker, messages validated against its
 * protocol at the boundary, errors crossing back as wire errors — against a real anvil chain.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { BaseError } from '../../runtime/errors/base-error.ts'
import { type ActorSystem, createActorSystem } from '../../runtime/system/create-actor-system.ts'
import { rejectionOf } from '../../runtime/testing/rejection-of.ts'
import { writeContractAddresses } from './contract-addresses.ts'
import type { EthereumLedgerArgs } from './ethereum-ledger-actor.ts'
import { createTestChain, type TestChain } from './testing/create-test-chain.ts'

const source = {
  module: new URL('./ethereum-ledger-actor.ts', import.meta.url).href,
  export: 'ethereumLedgerActor',
}
const randomAddress = (): Address => privateKeyToAccount(generatePrivateKey()).address

let chain: TestChain
let system: ActorSystem

beforeAll(async () => {
  chain = await createTestChain()
  const addressesFile = join(mkdtempSync(join(tmpdir(), 'vigil-eth-kernel-')), 'addresses.json')
  await writeContractAddresses(addressesFile, chain.addresses)
  const args: EthereumLedgerArgs = {
    chainId: chain.anvil.chainId,
    rpcUrl: chain.anvil.rpcUrl,
    keyFile: chain.admin.keyFile,
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
  test('registers a node and answers access checks from its worker', async () => {
    const node = randomAddress()
    await system.ask('ethereum-ledger', 'eth.create_zone', {
      zone: 'zone-k',
      master: chain.admin.address,
    })
    const reply = (await system.ask('ethereum-ledger', 'eth.register_node', {
      node,
      nodeType: 'edge',
      zone: 'zone-k',
    })) as { txHash: string; gasUsed: number }
    expect(reply.gasUsed).toBeGreaterThan(0)
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

  test('returns a contract refusal as ETH_TX_REVERTED and keeps running', async () => {
    const error = await rejectionOf(
      system.ask('ethereum-ledger', 'eth.register_node', {
        node: randomAddress(),
        nodeType: 'edge',
        zone: 'nowhere',
      }),
    )
    expect(BaseError.is(error)).toBe(true)
    expect((error as BaseError).code).toBe('ETH_TX_REVERTED')
    expect((error as BaseError).meta?.errorName).toBe('UnknownZone')
    expect(system.stats('ethereum-ledger')).toMatchObject({ restarts: 0, status: 'running' })
  })

  test('rejects a malformed payload at the boundary', async () => {
    const error = await rejectionOf(
      system.ask('ethereum-ledger', 'eth.register_node', { node: 'not-an-address' }),
    )
    expect((error as BaseError).code).toBe('PROTOCOL_VIOLATION')
  })
})
