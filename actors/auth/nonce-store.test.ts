import { describe, expect, test } from 'bun:test'
import { TestClock } from '../../runtime/index.ts'
import { NonceStore } from './nonce-store.ts'

describe('NonceStore', () => {
  test('accepts an issued nonce exactly once', () => {
    const store = new NonceStore({ clock: new TestClock(), ttlMs: 1000 })
    const { nonce } = store.issue()
    expect([store.consume(nonce), store.consume(nonce)]).toEqual([true, false])
  })

  test('refuses an issued nonce after it expired and one it never issued', () => {
    const clock = new TestClock()
    const store = new NonceStore({ clock, ttlMs: 1000 })
    const { nonce } = store.issue()
    clock.advance(1000)
    expect([store.consume(nonce), store.consume('never-issued')]).toEqual([false, false])
  })

  test('remembers a signer nonce until its window ends, then accepts it again', () => {
    const clock = new TestClock()
    const store = new NonceStore({ clock, ttlMs: 1000 })
    expect([store.remember('n', 500), store.remember('n', 500)]).toEqual([true, false])
    clock.advance(500)
    expect(store.remember('n', 1500)).toBe(true)
  })

  test('refuses new signer nonces when full of live ones instead of forgetting any', () => {
    const store = new NonceStore({ clock: new TestClock(), ttlMs: 1000, maxEntries: 2 })
    expect([store.remember('a', 100), store.remember('b', 100), store.remember('c', 100)]).toEqual([
      true,
      true,
      false,
    ])
    expect(store.remember('a', 100)).toBe(false)
  })

  test('drops the oldest issued nonce when full', () => {
    const store = new NonceStore({ clock: new TestClock(), ttlMs: 1000, maxEntries: 2 })
    const first = store.issue().nonce
    const second = store.issue().nonce
    const third = store.issue().nonce
    expect([store.consume(first), store.consume(second), store.consume(third)]).toEqual([
      false,
      true,
      true,
    ])
  })
})
