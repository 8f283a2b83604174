/**
 * A ring of frame slots in one SharedArrayBuffer, shared by the camera and
 * detector workers of one host: the camera's ffmpeg pipe is copied once into
 * a slot and the detector reads it in place, so a frame crosses threads with
 * no further copy. Kernel messages only carry the slot number.
 *
 * Why not the kernel: its payloads are validated and (with
 * `simulateSerialization`, the default) round-tripped through msgpack in the
 * parent thread, which would copy a transferred buffer twice anyway. The
 * ring's buffer itself is handed over once on a BroadcastChannel (structured
 * clone shares a SharedArrayBuffer between workers of one process), which
 * is why the camera and its detector must be placed on the same host.
 */
import { SurveilInvalidParameterError } from './errors.ts'

export type FrameRing = {
  readonly buffer: SharedArrayBuffer
  readonly slots: number
  readonly slotBytes: number
  /** The bytes of slot `i` (a view, no copy). */
  slot(i: number): Uint8Array
}

/** The BroadcastChannel on which a detector hands out rings. */
export const ringChannel = (detectorActor: string) => `vigil-surveil-ring:${detectorActor}`

export type RingOffer = {
  readonly nonce: string
  readonly buffer: SharedArrayBuffer
  readonly slots: number
  readonly slotBytes: number
}

/** Views `buffer` as a ring of `slots` slots of `slotBytes` bytes. */
export function frameRing(buffer: SharedArrayBuffer, slots: number, slotBytes: number): FrameRing {
  if (buffer.byteLength < slots * slotBytes)
    throw new SurveilInvalidParameterError(
      `a frame ring of ${slots} × ${slotBytes} bytes needs ${slots * slotBytes} bytes, got ${buffer.byteLength}`,
    )
  return {
    buffer,
    slots,
    slotBytes,
    slot: (i) => new Uint8Array(buffer, i * slotBytes, slotBytes),
  }
}

/** Allocates a ring. */
export function createFrameRing(slots: number, slotBytes: number): FrameRing {
  return frameRing(new SharedArrayBuffer(slots * slotBytes), slots, slotBytes)
}

/**
 * Listens on the detector's channel for the offer carrying `nonce`; resolves
 * with its ring. Subscribe (call this) before asking for the ring.
 */
export function awaitRingOffer(
  detectorActor: string,
  nonce: string,
  timeoutMs: number,
): { ring: Promise<FrameRing>; close(): void } {
  const channel = new BroadcastChannel(ringChannel(detectorActor))
  let timer: ReturnType<typeof setTimeout> | undefined
  const ring = new Promise<FrameRing>((resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new SurveilInvalidParameterError(
          `no frame ring from ${detectorActor} within ${timeoutMs} ms; place the camera and its detector on the same host`,
        ),
      )
    }, timeoutMs)
    channel.onmessage = (event: { data: unknown }) => {
      const offer = event.data as RingOffer
      if (offer.nonce !== nonce || !(offer.buffer instanceof SharedArrayBuffer)) return
      resolve(frameRing(offer.buffer, offer.slots, offer.slotBytes))
    }
  })
  const close = () => {
    clearTimeout(timer)
    channel.close()
  }
  void ring.then(close, close)
  return { ring, close }
}

/** Offers `ring` to the camera that asked with `nonce`. */
export function offerRing(detectorActor: string, nonce: string, ring: FrameRing): void {
  const channel = new BroadcastChannel(ringChannel(detectorActor))
  const offer: RingOffer = {
    nonce,
    buffer: ring.buffer,
    slots: ring.slots,
    slotBytes: ring.slotBytes,
  }
  channel.postMessage(offer)
  channel.close()
}
