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
    const h1 = Bun.hash.murmur32v3(key, 0x9747b28c)
    const h2 = Bun.hash.murmur32v3(key, 0x5bd1e995) | 1
    for (let i = 0; i < this.#hashes; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask
      this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] as number) | (1 << (bit & 31))
    }
  }

  /** False: the key was never added. True: it may have been. */
  mightContain(key: string): boolean {
    const h1 = Bun.hash.murmur32v3(key, 0x9747b28c)
    const h2 = Bun.hash.murmur32v3(key, 0x5bd1e995) | 1
    for (let i = 0; i < this.#hashes; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask
      if (((this.#bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false
    }
    return true
  }
}
