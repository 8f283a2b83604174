import { describe, expect, test } from 'bun:test'
import { runFftCoreConformance } from './fft-core.conformance.ts'
import { createReferenceFftCore, naiveDft } from './fft-reference.ts'

runFftCoreConformance('createReferenceFftCore', createReferenceFftCore)

describe('naiveDft', () => {
  test('returns the sum of the input as bin 0 and the alternating sum as bin nfft/2', () => {
    const input = new Float64Array([1, 2, 3, 4, 5])
    const { re, im } = naiveDft(input, 8)
    expect(re.length).toBe(5)
    expect(re[0]).toBe(15)
    expect(re[4]).toBeCloseTo(1 - 2 + 3 - 4 + 5, 12)
    expect(im[0]).toBe(0)
    expect(im[4]).toBeCloseTo(0, 12)
  })
})
