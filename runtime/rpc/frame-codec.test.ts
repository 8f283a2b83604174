import { describe, expect, test } from 'bun:test'
import { RpcFrameMalformedError, RpcFrameTooLargeError } from './errors.ts'
import { encodeFrame, FrameDecoder } from './frame-codec.ts'

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  crypto.getRandomValues(bytes)
  return bytes
}

describe('FrameDecoder', () => {
  test('reassembles frames split across chunks at every byte boundary', () => {
    const payloads = [randomBytes(1), randomBytes(300), randomBytes(70_000)]
    const stream = new Uint8Array(payloads.reduce((n, p) => n + p.length + 4, 0))
    let offset = 0
    for (const payload of payloads) {
      const frame = encodeFrame(payload)
      stream.set(frame, offset)
      offset += frame.length
    }
    for (const step of [1, 3, 4, 5, 1000, stream.length]) {
      const decoder = new FrameDecoder(1 << 20)
      const frames: Uint8Array[] = []
      for (let at = 0; at < stream.length; at += step) {
        frames.push(...decoder.push(stream.subarray(at, at + step)))
      }
      expect(frames).toEqual(payloads)
      expect(decoder.bufferedBytes).toBe(0)
    }
  })

  test('refuses a declared length above the bound before buffering the body', () => {
    const decoder = new FrameDecoder(1024)
    const header = new Uint8Array([0, 0, 4, 1])
    expect(() => decoder.push(header)).toThrow(RpcFrameTooLargeError)
    expect(decoder.bufferedBytes).toBe(0)
  })

  test('refuses an empty frame and stays failed afterwards', () => {
    const decoder = new FrameDecoder(1024)
    expect(() => decoder.push(new Uint8Array(4))).toThrow(RpcFrameMalformedError)
    expect(() => decoder.push(encodeFrame(new Uint8Array([1])))).toThrow(RpcFrameMalformedError)
  })

  test('throws only typed frame errors on thousands of random inputs', () => {
    for (let i = 0; i < 5000; i++) {
      const decoder = new FrameDecoder(4096)
      try {
        for (let chunk = 0; chunk < 4; chunk++) decoder.push(randomBytes(1 + (i % 97)))
      } catch (error) {
        expect(RpcFrameTooLargeError.is(error) || RpcFrameMalformedError.is(error)).toBe(true)
      }
    }
  })
})
