import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { keccak256, stringToHex, zeroHash } from 'viem'
import { waitFor } from '../../runtime/testing/index.ts'
import { domainId, toBytes32Name } from './bytes32-name.ts'
import { createTestChain, type TestChain } from './testing/index.ts'
import { createVigilContracts } from './vigil-contracts.ts'
import { type ContractEvent, watchContractEvents } from './watch-contract-events.ts'

let chain: TestChain

beforeAll(async () => {
  chain = await createTestChain()
})

afterAll(async () => {
  await chain?.[Symbol.asyncDispose]()
})

describe('watchContractEvents', () => {
  test('delivers decoded events of every contract as plain data until stopped', async () => {
    const seen: ContractEvent[] = []
    const stop = watchContractEvents(chain.admin.clients, chain.addresses, {
      onEvents: (events) => seen.push(...events),
    })
    const admin = createVigilContracts(chain.admin.clients, chain.addresses)
    const zone = toBytes32Name('watched')
    const domain = domainId('watched-domain')
    const root = keccak256(stringToHex('root'))
    try {
      // The filter is installed asynchronously; write only once it exists.
      await waitFor(
        async () => {
          await admin.identityRegistry.write('createZone', [
            toBytes32Name(`probe-${seen.length}-${Date.now() % 1e6}`),
            chain.admin.address,
          ])
          return seen.some((e) => e.eventName === 'ZoneCreated')
        },
        { message: 'the watcher to see a first event', intervalMs: 50 },
      )
      await admin.identityRegistry.write('createZone', [zone, chain.admin.address])
      await admin.anchor.write('grantAnchorer', [domain, chain.admin.address])
      await admin.anchor.write('anchor', [domain, 3n, zeroHash, root, 1n])
      const anchored = await waitFor(() => seen.find((e) => e.eventName === 'Anchored'), {
        message: 'Anchored',
      })
      expect(anchored).toMatchObject({
        contract: 'Anchor',
        args: { domain, height: '3', batchId: zeroHash, root, treeSize: '1' },
      })
      expect(JSON.parse(JSON.stringify(anchored))).toEqual(anchored)
      // One filter per contract, each polled on its own: the zone's event may come after Anchored.
      await waitFor(
        () => seen.some((e) => e.eventName === 'ZoneCreated' && e.args.zoneId === zone),
        {
          message: 'ZoneCreated of the watched zone',
        },
      )
    } finally {
      stop()
    }
    const count = seen.length
    await admin.anchor.write('anchor', [domain, 4n, zeroHash, root, 1n])
    // After stop, a write produces no delivery; a fresh watcher proves the event exists.
    const later: ContractEvent[] = []
    const stopLater = watchContractEvents(chain.admin.clients, chain.addresses, {
      contracts: ['Anchor'],
      eventNames: ['Anchored'],
      onEvents: (events) => later.push(...events),
    })
    try {
      await waitFor(
        async () => {
          await admin.anchor.write('anchor', [domain, BigInt(5 + later.length), zeroHash, root, 1n])
          return later.length > 0
        },
        { message: 'the second watcher', intervalMs: 50 },
      )
    } finally {
      stopLater()
    }
    expect(seen.length).toBe(count)
    expect(later.every((e) => e.eventName === 'Anchored')).toBe(true)
  })
})
