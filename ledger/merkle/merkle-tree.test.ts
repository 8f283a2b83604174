import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { fromHex, toHex } from '../encoding/hex.ts'
import { MerkleTree, merkleRoot } from './merkle-tree.ts'
import { EMPTY_ROOT, hashLeaf } from './rfc6962-hash.ts'
import { verifyInclusion } from './verify-inclusion.ts'

// Certificate Transparency's reference inputs and tree heads (RFC 6962 test data, as used by
// google/certificate-transparency and transparency-dev/merkle).
const CT_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex)
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]
const CT_INCLUSION = [
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
]

// A deliberately naive, independent implementation of RFC 6962 §2.1 (recursive MTH and PATH).
function refSha(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}
function largestPowerOfTwoBelow(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}
function refMth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return refSha()
  if (leaves.length === 1) return refSha(new Uint8Array([0]), leaves[0] as Uint8Array)
  const k = largestPowerOfTwoBelow(leaves.length)
  return refSha(new Uint8Array([1]), refMth(leaves.slice(0, k)), refMth(leaves.slice(k)))
}
function refPath(m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return []
  const k = largestPowerOfTwoBelow(leaves.length)
  if (m < k) return [...refPath(m, leaves.slice(0, k)), refMth(leaves.slice(k))]
  return [...refPath(m - k, leaves.slice(k)), refMth(leaves.slice(0, k))]
}

describe('MerkleTree', () => {
  test('matches the RFC 6962 reference tree heads for sizes 0 to 8', () => {
    expect(toHex(EMPTY_ROOT)).toBe(CT_ROOTS[0] as string)
    const leaves = CT_INPUTS.map(hashLeaf)
    for (let n = 0; n <= 8; n++) {
      expect(toHex(merkleRoot(leaves.slice(0, n)))).toBe(CT_ROOTS[n] as string)
    }
  })

  test('produces the reference audit paths of the Certificate Transparency test data', () => {
    const leaves = CT_INPUTS.map(hashLeaf)
    for (const vector of CT_INCLUSION) {
      const tree = new MerkleTree(leaves.slice(0, vector.size))
      expect(tree.auditPath(vector.index).map(toHex)).toEqual(vector.path)
      expect(
        verifyInclusion({
          leafHash: leaves[vector.index] as Uint8Array,
          leafIndex: vector.index,
          treeSize: vector.size,
          auditPath: vector.path.map(fromHex),
          root: fromHex(CT_ROOTS[vector.size] as string),
        }),
      ).toBe(true)
    }
  })

  test('agrees with a recursive reference implementation on roots and paths up to 70 leaves', () => {
    const data = Array.from({ length: 70 }, (_, i) => new Uint8Array([i, i * 3, 7]))
    for (let n = 1; n <= 70; n++) {
      const slice = data.slice(0, n)
      const tree = new MerkleTree(slice.map(hashLeaf))
      expect(toHex(tree.root)).toBe(toHex(refMth(slice)))
      for (let m = 0; m < n; m++) {
        const path = tree.auditPath(m)
        expect(path.map(toHex)).toEqual(refPath(m, slice).map(toHex))
        expect(
          verifyInclusion({
            leafHash: tree.leaf(m),
            leafIndex: m,
            treeSize: n,
            auditPath: path,
            root: tree.root,
          }),
        ).toBe(true)
      }
    }
  })

  test('never duplicates a last odd node', () => {
    const [a, b, c] = [1, 2, 3].map((i) => hashLeaf(new Uint8Array([i]))) as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ]
    expect(toHex(merkleRoot([a, b, c]))).not.toBe(toHex(merkleRoot([a, b, c, c])))
  })

  test('refuses an audit path for an index outside the tree', () => {
    const tree = new MerkleTree([hashLeaf(new Uint8Array([1]))])
    expect(() => tree.auditPath(1)).toThrow(RangeError)
    expect(() => tree.auditPath(-1)).toThrow(RangeError)
  })
})

describe('verifyInclusion', () => {
  const leaves = Array.from({ length: 11 }, (_, i) => hashLeaf(new Uint8Array([i])))
  const tree = new MerkleTree(leaves)
  const good = {
    leafHash: tree.leaf(6),
    leafIndex: 6,
    treeSize: 11,
    auditPath: tree.auditPath(6),
    root: tree.root,
  }

  test('accepts a valid proof', () => {
    expect(verifyInclusion(good)).toBe(true)
  })

  test('rejects a wrong index, size, leaf, root, or a shortened or extended path', () => {
    expect(verifyInclusion({ ...good, leafIndex: 7 })).toBe(false)
    // Sizes that change the path's shape fail; RFC 6962 roots do not bind the size otherwise.
    expect(verifyInclusion({ ...good, treeSize: 7 })).toBe(false)
    expect(verifyInclusion({ ...good, treeSize: 6 })).toBe(false)
    expect(verifyInclusion({ ...good, leafHash: tree.leaf(5) })).toBe(false)
    expect(verifyInclusion({ ...good, root: tree.leaf(0) })).toBe(false)
    expect(verifyInclusion({ ...good, auditPath: good.auditPath.slice(1) })).toBe(false)
    expect(verifyInclusion({ ...good, auditPath: [...good.auditPath, tree.root] })).toBe(false)
    const flipped = good.auditPath.map((h) => new Uint8Array(h))
    const second = flipped[1] as Uint8Array
    second[0] = (second[0] as number) ^ 1
    expect(verifyInclusion({ ...good, auditPath: flipped })).toBe(false)
  })

  test('handles tree sizes above 2^31 without 32-bit overflow', () => {
    // A single-leaf proof can't be built for such a tree here; check only the index/size guards.
    expect(verifyInclusion({ ...good, leafIndex: 2 ** 32, treeSize: 2 ** 32 })).toBe(false)
    expect(verifyInclusion({ ...good, leafIndex: 2 ** 33, treeSize: 2 ** 34, auditPath: [] })).toBe(
      false,
    )
  })
})
