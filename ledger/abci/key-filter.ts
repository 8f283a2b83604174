/**
 * A Bloom filter over committed record keys: "definitely not written" answers
 * skip the SQLite lookup that every new record key would otherwise cost in
 * CheckTx and FinalizeBlock (most keys are new). A "maybe" is checked in
 * SQLite, so the filter changes speed, never results, and consensus stays
 * deterministic whatever its false-positive rate.
 */
export class KeyFilter {
  readonly #bits: Uint32Array
  readonly #mask: number
  readonly #hashes: number

  /** `log2Bits` bits of memory (default 2^26 = 8 MiB, ~4 % false positives at 10 M keys). */
  constructor(log2Bits = 26, hashes = 4) {
    this.#bits = new Uint32Array(2 ** (log2Bits - 5))
    this.#mask = 2 ** log2Bits - 1
    this.#hashes = hashes
  }

  add(key: string): void {
    // One string hash per key (it was two); the second probe step is a remix of the first.
    const h1 = Bun.hash.murmur32v3(key, 0x9747b28c)
    const h2 = remix(h1) | 1
    for (let i = 0; i < this.#hashes; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask
      this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] as number) | (1 << (bit & 31))
    }
  }

  /** False: the key was never added. True: it may have been. */
  mightContain(key: string): boolean {
    // One string hash per key (it was two); the second probe step is a remix of the first.
    const h1 = Bun.hash.murmur32v3(key, 0x9747b28c)
    const h2 = remix(h1) | 1
    for (let i = 0; i < this.#hashes; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask
      if (((this.#bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false
    }
    return true
  }
}

/** murmur3's 32-bit finalizer on a rotated input: a second, well-mixed hash from the first. */
function remix(h: number): number {
  let x = ((h << 16) | (h >>> 16)) ^ 0x5bd1e995
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return x ^ (x >>> 16)
}
