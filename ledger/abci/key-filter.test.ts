import { describe, expect, test } from 'bun:test'
import { KeyFilter } from './key-filter.ts'

describe('KeyFilter', () => {
  test('never answers "absent" for a key it holds', () => {
    const filter = new KeyFilter(16)
    const keys = Array.from({ length: 5_000 }, (_, i) => `enf/cam-${i % 9}/${i}`)
    for (const key of keys) filter.add(key)
    expect(keys.every((key) => filter.mightContain(key))).toBe(true)
  })

  test('answers "absent" for most keys it never saw', () => {
    const filter = new KeyFilter(20)
    for (let i = 0; i < 10_000; i++) filter.add(`written/${i}`)
    let falsePositives = 0
    for (let i = 0; i < 10_000; i++) if (filter.mightContain(`fresh/${i}`)) falsePositives++
    expect(falsePositives).toBeLessThan(100)
  })
})
