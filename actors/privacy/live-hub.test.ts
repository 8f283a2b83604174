import { describe, expect, test } from 'bun:test'
import { waitFor } from '../../runtime/testing/index.ts'
import { createLiveHub, type LiveView, type LiveViewer } from './live-hub.ts'

const png = new Uint8Array([1, 2, 3])

/** A camera whose frames the test releases one by one; masks per caller. */
function fakeCamera(maskOf: Record<string, number>) {
  let seq = 0
  const asks: string[] = []
  const next = async (_camera: string, afterSeq: number, caller: string): Promise<LiveView> => {
    asks.push(caller)
    const mask = maskOf[caller] ?? 0
    const attributes = { faces: mask & 1 ? 'clear' : 'scrambled', people: 'scrambled' }
    return { seq, t: seq, png: seq > afterSeq ? png : null, attributes, mask }
  }
  return { next, asks, advance: () => seq++ }
}

/** The hub's poll wait: one timer turn, so the test's own timers run. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1))

const viewer = (caller: string, mask: number): LiveViewer<string> => ({
  caller,
  mask,
  pending: undefined,
  wake: undefined,
  closed: false,
})

describe('createLiveHub', () => {
  test('hands each frame to every viewer of the same view from one fetch', async () => {
    const camera = fakeCamera({ a: 1, b: 1, c: 0 })
    const hub = createLiveHub<string>({ next: camera.next, pause: tick, pollMs: 0 })
    const viewers = [viewer('a', 1), viewer('b', 1), viewer('c', 0)]
    camera.advance()
    for (const v of viewers) hub.join('cam', v)
    await waitFor(() => viewers.every((v) => v.pending?.seq === 1))
    expect(hub.sizes()).toEqual(
      new Map([
        ['cam 1', 2],
        ['cam 0', 1],
      ]),
    )
    const fetchedByA = camera.asks.filter((c) => c === 'a').length
    expect(camera.asks.filter((c) => c === 'b')).toHaveLength(0)
    expect(fetchedByA).toBeGreaterThan(0)
    for (const v of viewers) {
      v.closed = true
      hub.leave('cam', v)
    }
  })

  test('never gives a viewer a frame rendered for a view the actor no longer decides for it', async () => {
    const masks: Record<string, number> = { a: 1 }
    const camera = fakeCamera(masks)
    const hub = createLiveHub<string>({ next: camera.next, pause: tick, pollMs: 0 })
    const a = viewer('a', 1)
    camera.advance()
    hub.join('cam', a)
    await waitFor(() => a.pending?.seq === 1)
    a.pending = undefined
    masks.a = 0
    camera.advance()
    await waitFor(() => a.mask === 0)
    expect(a.pending).toBeUndefined()
    await waitFor(() => hub.sizes().size === 0)
  })
})
