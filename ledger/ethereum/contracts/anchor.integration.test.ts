import { describe, expect, test } from 'bun:test'
import { type Hex, keccak256, parseEventLogs, stringToHex, toHex, zeroHash } from 'viem'
import { anchor } from '../../../contracts/index.ts'
import { domainId } from '../bytes32-name.ts'
import {
  buildTestTree,
  expectRevert,
  type TestAccount,
  useContractTestChain,
} from '../testing/index.ts'

const world = useContractTestChain({ gasSuite: 'anchor', accounts: ['anchorer', 'outsider'] })

const h = (hex: string): Hex => `0x${hex}`
const batchIdOf = (label: string) => keccak256(stringToHex(label))
const records = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => new TextEncoder().encode(`${tag}-record-${i}`))

const domain = domainId('vigil-domain-a')
const otherDomain = domainId('vigil-domain-b')

const as = (account: TestAccount) => world.as(account).anchor

describe('Anchor', () => {
  test('lets only the admin appoint anchorers, per domain', async () => {
    await expectRevert(
      as(world.outsider).write('grantAnchorer', [domain, world.outsider.address]),
      'NotAdmin',
    )
    await world.admin.anchor.write('grantAnchorer', [domain, world.anchorer.address])
    expect(await world.admin.anchor.read('isAnchorer', [domain, world.anchorer.address])).toBe(true)
    expect(await world.admin.anchor.read('isAnchorer', [otherDomain, world.anchorer.address])).toBe(
      false,
    )
  })

  test('anchors a batch root, emits Anchored and serves it back', async () => {
    const tree = buildTestTree(records(5, 'first'))
    const batchId = batchIdOf('batch-1')
    const result = await as(world.anchorer).write('anchor', [domain, 7n, batchId, h(tree.root), 5n])
    world.gas.record('Anchor.anchor', result.gasUsed)
    const [event] = parseEventLogs({ abi: anchor.abi, logs: [...result.logs] })
    expect(event?.eventName).toBe('Anchored')
    const [root, size, blockNumber] = await world.admin.anchor.read('getAnchor', [
      domain,
      7n,
      batchId,
    ])
    expect({ root, size, blockNumber }).toEqual({
      root: h(tree.root),
      size: 5n,
      blockNumber: result.blockNumber,
    })
    expect(await world.admin.anchor.read('latestHeight', [domain])).toBe(7n)
  })

  test('treats re-anchoring the same root as a no-op and a different root as a conflict', async () => {
    const tree = buildTestTree(records(3, 'again'))
    const batchId = batchIdOf('batch-2')
    await as(world.anchorer).write('anchor', [domain, 8n, batchId, h(tree.root), 3n])
    const repeat = await as(world.anchorer).write('anchor', [domain, 8n, batchId, h(tree.root), 3n])
    world.gas.record('Anchor.anchor (repeat, no-op)', repeat.gasUsed)
    expect(repeat.logs).toEqual([])
    const forged = buildTestTree(records(3, 'forged'))
    const error = await expectRevert(
      as(world.anchorer).write('anchor', [domain, 8n, batchId, h(forged.root), 3n]),
      'AnchorConflict',
    )
    expect(error.meta?.errorArgs).toContain(h(tree.root))
    await expectRevert(
      as(world.anchorer).write('anchor', [domain, 8n, batchId, h(tree.root), 4n]),
      'AnchorConflict',
    )
  })

  test('refuses outsiders, other domains, zero roots and empty trees', async () => {
    const root = h(buildTestTree(records(1, 'x')).root)
    await expectRevert(
      as(world.outsider).write('anchor', [domain, 9n, zeroHash, root, 1n]),
      'NotAnchorer',
    )
    await expectRevert(
      as(world.anchorer).write('anchor', [otherDomain, 9n, zeroHash, root, 1n]),
      'NotAnchorer',
    )
    await expectRevert(
      as(world.anchorer).write('anchor', [domain, 9n, zeroHash, zeroHash, 1n]),
      'InvalidRoot',
    )
    await expectRevert(
      as(world.anchorer).write('anchor', [domain, 9n, zeroHash, root, 0n]),
      'InvalidTreeSize',
    )
  })

  test('stops accepting roots from a revoked anchorer', async () => {
    const temporary = await world.chain.newAccount()
    await world.admin.anchor.write('grantAnchorer', [domain, temporary.address])
    await expectRevert(
      as(world.outsider).write('revokeAnchorer', [domain, temporary.address]),
      'NotAdmin',
    )
    await world.admin.anchor.write('revokeAnchorer', [domain, temporary.address])
    const root = h(buildTestTree(records(1, 'late')).root)
    await expectRevert(
      as(temporary).write('anchor', [domain, 10n, zeroHash, root, 1n]),
      'NotAnchorer',
    )
  })

  test('verifies every leaf of RFC 6962 trees of 1 to 17 leaves on chain', async () => {
    for (let size = 1; size <= 17; size++) {
      const tree = buildTestTree(records(size, `size-${size}`))
      const batchId = batchIdOf(`tree-${size}`)
      await as(world.anchorer).write('anchor', [domain, 100n, batchId, h(tree.root), BigInt(size)])
      for (let index = 0; index < size; index++) {
        const ok = await world.admin.anchor.read('verifyInclusion', [
          domain,
          100n,
          batchId,
          h(tree.leafHashes[index] as string),
          BigInt(index),
          tree.auditPath(index).map(h),
        ])
        expect({ size, index, ok }).toEqual({ size, index, ok: true })
      }
    }
  })

  test('rejects forged leaves, wrong indices, altered or truncated paths', async () => {
    const tree = buildTestTree(records(11, 'forgery'))
    const batchId = batchIdOf('forgery')
    await as(world.anchorer).write('anchor', [domain, 101n, batchId, h(tree.root), 11n])
    const verify = (leaf: string, index: number, path: string[]) =>
      world.admin.anchor.read('verifyInclusion', [
        domain,
        101n,
        batchId,
        h(leaf),
        BigInt(index),
        path.map(h),
      ])
    const leaf = tree.leafHashes[6] as string
    const path = tree.auditPath(6)
    expect(await verify(leaf, 6, path)).toBe(true)
    const forgedLeaf = buildTestTree([new TextEncoder().encode('forged')]).leafHashes[0] as string
    expect(await verify(forgedLeaf, 6, path)).toBe(false)
    expect(await verify(leaf, 5, path)).toBe(false)
    expect(await verify(leaf, 11, path)).toBe(false)
    expect(await verify(leaf, 6, path.slice(0, -1))).toBe(false)
    expect(await verify(leaf, 6, [...path, path[0] as string])).toBe(false)
    expect(await verify(leaf, 6, [tree.leafHashes[0] as string, ...path.slice(1)])).toBe(false)
    await expectRevert(
      world.admin.anchor.read('verifyInclusion', [domain, 999n, batchId, h(leaf), 6n, path.map(h)]),
      'NotAnchored',
    )
  })

  test('lands every one of 40 concurrent anchors sent from one key', async () => {
    const heights = Array.from({ length: 40 }, (_, i) => 1_000n + BigInt(i))
    const results = await Promise.all(
      heights.map((height) =>
        as(world.anchorer).write('anchor', [
          domain,
          height,
          zeroHash,
          keccak256(toHex(height)),
          1n,
        ]),
      ),
    )
    expect(new Set(results.map((r) => r.txHash)).size).toBe(40)
    for (const height of heights) {
      const [root] = await world.admin.anchor.read('getAnchor', [domain, height, zeroHash])
      expect(root).toBe(keccak256(toHex(height)))
    }
    expect(await world.admin.anchor.read('latestHeight', [domain])).toBe(1_039n)
  })

  test('lands every valid write when refused writes from the same key interleave', async () => {
    const heights = Array.from({ length: 24 }, (_, i) => 2_000n + BigInt(i))
    const outcomes = await Promise.allSettled(
      heights.map((height, i) =>
        as(world.anchorer).write('anchor', [
          domain,
          height,
          zeroHash,
          keccak256(toHex(height)),
          // Every third write is refused in simulation (empty tree).
          i % 3 === 0 ? 0n : 1n,
        ]),
      ),
    )
    outcomes.forEach((outcome, i) => {
      expect({ i, status: outcome.status }).toEqual({
        i,
        status: i % 3 === 0 ? 'rejected' : 'fulfilled',
      })
    })
    // The chain accepts the next write at once: no nonce gap was left behind.
    await as(world.anchorer).write('anchor', [
      domain,
      3_000n,
      zeroHash,
      keccak256(toHex(3_000n)),
      1n,
    ])
  })
})
