/**
 * A Bloom filter over committed record keys: "definitely not written" answers
 * skip the SQLite lookup that every new record key would otherwise cost in
 * CheckTx and FinalizeBlock (most keys are new). A "maybe" is checked in
 * SQLite, so the filter changes speed, never results, and consensus stays
 * deterministic whatever its false-positive rate.
 */
export class KeyFilter {
  readonly #bits: Uint32Array
  /** Number of 512-bit blocks − 1 (a power of two minus one). */
  readonly #blockMask: number
  readonly #hashes: number

  /**
   * `log2Bits` bits of memory (default 2^26 = 8 MiB, a few % false positives at 10 M keys).
   * Blocked: all probes of a key fall in one 512-bit (cache-line) block, so a lookup costs one
   * cache miss instead of one per probe (measured: the unblocked filter's probes were ~8 % of
   * the app's CPU under load).
   */
  constructor(log2Bits = 26, hashes = 4) {
    this.#bits = new Uint32Array(2 ** (log2Bits - 5))
    this.#blockMask = 2 ** (log2Bits - 9) - 1
    this.#hashes = hashes
  }

  add(key: string): void {
    const h1 = Bun.hash.murmur32v3(key, 0x9747b28c)
    const base = (h1 & this.#blockMask) << 4
    let h2 = remix(h1)
    for (let i = 0; i < this.#hashes; i++) {
      const bit = h2 & 511
      const word = base + (bit >>> 5)
      this.#bits[word] = (this.#bits[word] as number) | (1 << (bit & 31))
      h2 = (h2 >>> 9) | (h2 << 23)
    }
  }

  /** False: the key was never added. True: it may have been. */
  mightContain(key: string): boolean {
    const h1 = Bun.hash.murmur32v3(key, 0x9747b28c)
    const base = (h1 & this.#blockMask) << 4
    let h2 = remix(h1)
    for (let i = 0; i < this.#hashes; i++) {
      const bit = h2 & 511
      if (((this.#bits[base + (bit >>> 5)] as number) & (1 << (bit & 31))) === 0) return false
      h2 = (h2 >>> 9) | (h2 << 23)
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
