import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type Hash, keccak256, toHex, zeroHash } from 'viem'
import { anchor } from '../../contracts/index.ts'
import { toWireError } from '../../runtime/index.ts'
import { domainId } from './bytes32-name.ts'
import { createChainClients } from './create-chain-clients.ts'
import { anvilRequest } from './start-anvil.ts'
import { createTestChain, type TestChain } from './testing/index.ts'
import { createVigilContracts } from './vigil-contracts.ts'
import { writeContract } from './write-contract.ts'

let chain: TestChain
const domain = domainId('write-test')

beforeAll(async () => {
  chain = await createTestChain()
  await createVigilContracts(chain.admin.clients, chain.addresses).anchor.write('grantAnchorer', [
    domain,
    chain.admin.address,
  ])
})

afterAll(async () => {
  await chain?.[Symbol.asyncDispose]()
})

describe('writeContract', () => {
  test('gives up with ETH_RECEIPT_TIMEOUT when no block comes, and the tx lands once one does', async () => {
    await anvilRequest(chain.anvil.rpcUrl, 'evm_setAutomine', [false])
    try {
      const error = await writeContract(chain.admin.clients, {
        contract: 'Anchor',
        address: chain.addresses.anchor,
        abi: anchor.abi,
        functionName: 'anchor',
        args: [domain, 1n, zeroHash, keccak256(toHex('stalled')), 1n],
        timeoutMs: 300,
      }).catch((e: unknown) => e)
      const wire = toWireError(error)
      expect(wire.code).toBe('ETH_RECEIPT_TIMEOUT')
      const txHash = wire.meta?.txHash as Hash
      expect(txHash).toMatch(/^0x[0-9a-f]{64}$/)
      await anvilRequest(chain.anvil.rpcUrl, 'evm_mine', [])
      const receipt = await chain.admin.clients.publicClient.getTransactionReceipt({ hash: txHash })
      expect(receipt.status).toBe('success')
    } finally {
      await anvilRequest(chain.anvil.rpcUrl, 'evm_setAutomine', [true])
    }
  })

  test("gives a new account's overlapping writes distinct nonces", async () => {
    // A new account (pending count 0) sends a second write while the first may hold nonce 0
    // but not have sent it yet, as the anchoring job's batches do after their getAnchor read.
    // The gap between the two varies from 0 to 5 round trips, one new account per gap, so one
    // of them lands in that window whatever the machine's speed.
    const admin = createVigilContracts(chain.admin.clients, chain.addresses).anchor
    const senders = await Promise.all(Array.from({ length: 6 }, () => chain.newAccount()))
    for (const sender of senders) await admin.write('grantAnchorer', [domain, sender.address])
    const overlapping = async (gap: number) => {
      const sender = senders[gap] as (typeof senders)[number]
      const contract = createVigilContracts(sender.clients, chain.addresses).anchor
      const write = (i: number) =>
        contract
          .write('anchor', [
            domain,
            BigInt(100 + gap * 2 + i),
            zeroHash,
            keccak256(toHex(`gap${gap}/${i}`)),
            1n,
          ])
          .then(
            async (result) =>
              (await sender.clients.publicClient.getTransaction({ hash: result.txHash })).nonce,
            (error: unknown) => toWireError(error).message,
          )
      const first = write(0)
      for (let i = 0; i < gap; i++) await sender.clients.publicClient.getBlockNumber()
      const nonces = await Promise.all([first, write(1)])
      // Which write takes nonce 0 does not matter; that none is taken twice does.
      return { gap, nonces: nonces.sort() }
    }
    const outcomes = await Promise.all(senders.map((_, gap) => overlapping(gap)))
    expect(outcomes).toEqual(senders.map((_, gap) => ({ gap, nonces: [0, 1] })))
  })

  test('refuses to write through read-only clients', async () => {
    const readOnly = await createChainClients({
      chainId: chain.anvil.chainId,
      rpcUrl: chain.anvil.rpcUrl,
    })
    const error = await createVigilContracts(readOnly, chain.addresses)
      .anchor.write('anchor', [domain, 2n, zeroHash, keccak256(toHex('x')), 1n])
      .catch((e: unknown) => e)
    expect(toWireError(error).code).toBe('ETH_INVALID_ARGUMENT')
  })
})
