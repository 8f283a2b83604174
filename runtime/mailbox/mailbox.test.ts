import { describe, expect, test } from 'bun:test'
import { Mailbox } from './mailbox.ts'

describe('Mailbox', () => {
  test('keeps user messages in FIFO order', () => {
    const mailbox = new Mailbox<number>({ capacity: 10, overflow: 'reject' })
    for (let i = 0; i < 5; i++) mailbox.offer(i)
    expect(mailbox.take(3)).toEqual([0, 1, 2])
    mailbox.offer(5)
    expect(mailbox.drain()).toEqual([3, 4, 5])
    expect(mailbox.depth).toBe(0)
  })

  test('rejects a message when full under the reject policy', () => {
    const mailbox = new Mailbox<number>({ capacity: 2, overflow: 'reject' })
    expect(mailbox.offer(1)).toEqual({ status: 'queued' })
    expect(mailbox.offer(2)).toEqual({ status: 'queued' })
    expect(mailbox.offer(3)).toEqual({ status: 'rejected' })
    expect(mailbox.drain()).toEqual([1, 2])
  })

  test('drops the newest message when full under drop-newest', () => {
    const mailbox = new Mailbox<number>({ capacity: 2, overflow: 'drop-newest' })
    mailbox.offer(1)
    mailbox.offer(2)
    expect(mailbox.offer(3)).toEqual({ status: 'dropped-newest', dropped: 3 })
    expect(mailbox.drain()).toEqual([1, 2])
  })

  test('drops the oldest message when full under drop-oldest', () => {
    const mailbox = new Mailbox<number>({ capacity: 2, overflow: 'drop-oldest' })
    mailbox.offer(1)
    mailbox.offer(2)
    expect(mailbox.offer(3)).toEqual({ status: 'dropped-oldest', dropped: 1 })
    expect(mailbox.drain()).toEqual([2, 3])
  })

  test('never holds more than its capacity however many messages arrive', () => {
    const mailbox = new Mailbox<number>({ capacity: 100, overflow: 'drop-oldest' })
    for (let i = 0; i < 100_000; i++) mailbox.offer(i)
    expect(mailbox.depth).toBe(100)
    expect(mailbox.take(1)).toEqual([99_900])
  })

  test('puts requeued messages back at the head in order', () => {
    const mailbox = new Mailbox<number>({ capacity: 10, overflow: 'reject' })
    mailbox.offer(3)
    mailbox.offer(4)
    mailbox.requeue([1, 2])
    expect(mailbox.drain()).toEqual([1, 2, 3, 4])
  })

  test('serves the system lane separately from the user lane', () => {
    const mailbox = new Mailbox<number, string>({ capacity: 1, overflow: 'reject' })
    mailbox.offer(1)
    mailbox.pushSystem('stop')
    mailbox.pushSystem('swap')
    expect(mailbox.offer(2)).toEqual({ status: 'rejected' })
    expect(mailbox.systemDepth).toBe(2)
    expect(mailbox.takeSystem()).toBe('stop')
    expect(mailbox.takeSystem()).toBe('swap')
    expect(mailbox.takeSystem()).toBeUndefined()
  })

  test('stays correct across many take/offer cycles that trigger compaction', () => {
    const mailbox = new Mailbox<number>({ capacity: 5000, overflow: 'reject' })
    let next = 0
    let expected = 0
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 3000; i++) mailbox.offer(next++)
      for (const value of mailbox.take(2990)) expect(value).toBe(expected++)
    }
    expect(mailbox.depth).toBe(next - expected)
  })

  test('refuses a capacity that is not a positive integer', () => {
    expect(() => new Mailbox({ capacity: 0, overflow: 'reject' })).toThrow(RangeError)
  })
})
