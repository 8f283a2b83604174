/**
 * Seeded randomness and byte mutations for fuzzing (libFuzzer-style: flip,
 * overwrite, insert, delete, duplicate, truncate, splice in "interesting"
 * msgpack markers such as 32-bit lengths and deep nesting). Everything is
 * driven by one seed, so a run is replayed exactly with the seed it printed.
 */

/** A small fast PRNG (mulberry32): `next()` in [0, 1). */
export class FuzzRandom {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.int(256)
    return out
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }
}

/** msgpack markers that stress a decoder: huge declared lengths, reserved bytes, deep nesting. */
const INTERESTING: readonly Uint8Array[] = [
  Uint8Array.of(0xc1),
  Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xff),
  Uint8Array.of(0xdf, 0x7f, 0xff, 0xff, 0xff),
  Uint8Array.of(0xdb, 0xff, 0xff, 0xff, 0xf0),
  Uint8Array.of(0xc6, 0x7f, 0xff, 0xff, 0xff),
  Uint8Array.of(0xc9, 0xff, 0xff, 0xff, 0xff, 0x01),
  Uint8Array.of(0xd6, 0xff, 0xff, 0xff, 0xff, 0xff),
  Uint8Array.of(0xc7, 0x03, 0xff, 0x00, 0x00, 0x00),
  Uint8Array.of(0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0),
  Uint8Array.of(0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  new Uint8Array(64).fill(0x91),
  new Uint8Array(512).fill(0x81),
]

/** Applies 1–4 random mutations to a copy of `input`. */
export function mutateBytes(input: Uint8Array, random: FuzzRandom): Uint8Array {
  let bytes: Uint8Array = input.slice()
  const rounds = 1 + random.int(4)
  for (let round = 0; round < rounds; round++) bytes = mutateOnce(bytes, random)
  return bytes
}

function mutateOnce(bytes: Uint8Array, random: FuzzRandom): Uint8Array {
  const at = random.int(bytes.length + 1)
  switch (random.int(7)) {
    case 0:
      if (bytes.length > 0)
        bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ (1 << random.int(8))
      return bytes
    case 1:
      if (bytes.length > 0) bytes[at % bytes.length] = random.int(256)
      return bytes
    case 2:
      return splice(bytes, at, 0, random.bytes(1 + random.int(16)))
    case 3:
      return splice(bytes, at, 1 + random.int(16), new Uint8Array(0))
    case 4:
      return splice(bytes, at, 0, bytes.subarray(at, at + 1 + random.int(32)))
    case 5:
      return bytes.subarray(0, at)
    default:
      return splice(bytes, at, random.int(3), random.pick(INTERESTING))
  }
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const end = Math.min(bytes.length, at + remove)
  const out = new Uint8Array(at + insert.length + (bytes.length - end))
  out.set(bytes.subarray(0, at), 0)
  out.set(insert, at)
  out.set(bytes.subarray(end), at + insert.length)
  return out
}
