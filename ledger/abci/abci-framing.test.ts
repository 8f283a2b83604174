import { describe, expect, test } from 'bun:test'
import { decodeUvarint, encodeFrame, encodeUvarint, FrameDecoder } from './abci-framing.ts'

describe('encodeUvarint', () => {
  test('writes unsigned LEB128 like Go binary.PutUvarint', () => {
    expect([...encodeUvarint(0)]).toEqual([0])
    expect([...encodeUvarint(4)]).toEqual([4]) // 0.34's zigzag framing would write 8
    expect([...encodeUvarint(127)]).toEqual([0x7f])
    expect([...encodeUvarint(128)]).toEqual([0x80, 0x01])
    expect([...encodeUvarint(300)]).toEqual([0xac, 0x02])
  })

  test('round-trips values above 2^31 and 2^32 without 32-bit overflow', () => {
    for (const value of [
      2 ** 31,
      2 ** 31 + 5,
      2 ** 32 + 1,
      2 ** 40 + 123,
      Number.MAX_SAFE_INTEGER,
    ]) {
      const encoded = encodeUvarint(value)
      expect(decodeUvarint(encoded)).toEqual({ value, length: encoded.length })
    }
    expect([...encodeUvarint(2 ** 31)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x08])
  })

  test('refuses negative and fractional values', () => {
    expect(() => encodeUvarint(-1)).toThrow(RangeError)
    expect(() => encodeUvarint(1.5)).toThrow(RangeError)
  })
})

describe('decodeUvarint', () => {
  test('waits for the rest of a varint split across chunks', () => {
    expect(decodeUvarint(new Uint8Array([0x80]))).toBeNull()
    expect(decodeUvarint(new Uint8Array([0x80, 0x80]))).toBeNull()
  })
})

describe('FrameDecoder', () => {
  const a = new Uint8Array([1, 2, 3])
  const b = new Uint8Array(300).fill(7)
  const c = new Uint8Array(0)

  test('returns several frames that arrive in one chunk, in order', () => {
    const decoder = new FrameDecoder()
    const chunk = new Uint8Array([...encodeFrame(a), ...encodeFrame(b), ...encodeFrame(c)])
    expect(decoder.push(chunk)).toEqual([a, b, c])
    expect(decoder.pendingBytes).toBe(0)
  })

  test('reassembles frames split at every byte, including inside the length prefix', () => {
    const stream = new Uint8Array([...encodeFrame(b), ...encodeFrame(a)])
    const decoder = new FrameDecoder()
    const out: Uint8Array[] = []
    for (const byte of stream) out.push(...decoder.push(new Uint8Array([byte])))
    expect(out).toEqual([b, a])
  })

  test('keeps a partial frame until its last byte arrives', () => {
    const decoder = new FrameDecoder()
    const frame = encodeFrame(b)
    expect(decoder.push(frame.subarray(0, 100))).toEqual([])
    expect(decoder.pendingBytes).toBe(100)
    expect(decoder.push(frame.subarray(100))).toEqual([b])
  })

  test('rejects a frame larger than its limit', () => {
    const decoder = new FrameDecoder(10)
    expect(() => decoder.push(encodeFrame(new Uint8Array(11)))).toThrow(RangeError)
  })

  test('decodes a length prefix above 2^31 and waits for the data', () => {
    const decoder = new FrameDecoder(Number.MAX_SAFE_INTEGER)
    expect(decoder.push(encodeUvarint(2 ** 33))).toEqual([])
  })
})
