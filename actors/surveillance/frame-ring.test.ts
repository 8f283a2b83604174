import { describe, expect, test } from 'bun:test'
import { SurveilInvalidParameterError } from './errors.ts'
import { awaitRingOffer, createFrameRing, offerRing } from './frame-ring.ts'

describe('frame ring', () => {
  test('an offered ring arrives as the same shared memory, not a copy', async () => {
    const ring = createFrameRing(3, 16)
    const wait = awaitRingOffer('detector-a', 'nonce-1', 5000)
    offerRing('detector-a', 'nonce-1', ring)
    const received = await wait.ring
    expect(received.slots).toBe(3)
    received.slot(2).fill(7)
    expect([...ring.slot(2)]).toEqual(new Array(16).fill(7))
    expect([...ring.slot(1)]).toEqual(new Array(16).fill(0))
  })

  test('ignores an offer meant for another camera', async () => {
    const mine = createFrameRing(2, 4)
    const wait = awaitRingOffer('detector-b', 'mine', 5000)
    offerRing('detector-b', 'theirs', createFrameRing(2, 8))
    offerRing('detector-b', 'mine', mine)
    expect((await wait.ring).slotBytes).toBe(4)
  })

  test('says to co-locate camera and detector when no ring arrives', async () => {
    const error = await awaitRingOffer('nobody', 'n', 20).ring.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SurveilInvalidParameterError)
    expect((error as Error).message).toContain('same host')
  })
})
