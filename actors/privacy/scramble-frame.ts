/**
 * Encrypts a frame's sensitive regions in place with AES-256-GCM and returns
 * the frame's sidecar. Faces are encrypted first, then people, so a viewer
 * allowed people but not faces gets the bodies back with the faces still
 * encrypted (a face lies inside its person's box). Each region's nonce is
 * the deterministic counter of frame-nonce.ts, its AAD binds it to this
 * frame and box (sidecar.ts). The scrambled frame is safe to store and
 * stream: without the epoch key a region is indistinguishable from noise.
 */
import { createCipheriv } from 'node:crypto'
import { PrivacySidecarInvalidError } from './errors.ts'
import { frameNonce, MAX_REGIONS } from './frame-nonce.ts'
import { keyIdOf } from './key-store.ts'
import type { RegionBox } from './pad-regions.ts'
import { gatherRegion, type PixelFrame, regionLength, scatterRegion } from './region-bytes.ts'
import { type PrivacyAttribute, privacyAttributes, regionAad, type Sidecar } from './sidecar.ts'

export type ScrambleHeader = {
  readonly camera: string
  readonly epoch: number
  readonly seq: number
  /** Capture time, unix ms. */
  readonly t: number
}

const layer = (attribute: PrivacyAttribute) => privacyAttributes.indexOf(attribute)

let scratch = new Uint8Array(0)
const scratchOf = (bytes: number) => {
  if (scratch.length < bytes) scratch = new Uint8Array(bytes)
  return scratch
}

function checkBox(frame: PixelFrame, box: RegionBox): void {
  const ok =
    [box.x, box.y, box.w, box.h].every(Number.isInteger) &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.w > 0 &&
    box.h > 0 &&
    box.x + box.w <= frame.width &&
    box.y + box.h <= frame.height
  if (!ok)
    throw new PrivacySidecarInvalidError(
      `region ${JSON.stringify(box)} must be an integer rectangle inside the ${frame.width}×${frame.height} frame (pad-regions.ts clips boxes)`,
    )
}

/** Scrambles `regions` of `frame` in place under `keyOf(attribute)`; returns the sidecar. */
export function scrambleFrame(
  frame: PixelFrame,
  regions: readonly RegionBox[],
  keyOf: (attribute: PrivacyAttribute) => Uint8Array,
  header: ScrambleHeader,
): Sidecar {
  if (frame.pixels.length !== frame.width * frame.height * frame.channels)
    throw new PrivacySidecarInvalidError(
      `frame of ${frame.pixels.length} bytes is not ${frame.width}×${frame.height}×${frame.channels}`,
    )
  if (regions.length > MAX_REGIONS)
    throw new PrivacySidecarInvalidError(`at most ${MAX_REGIONS} regions per frame`)
  const ordered = [...regions].sort((a, b) => layer(a.attribute) - layer(b.attribute))
  const sidecar: Sidecar = {
    v: 1,
    camera: header.camera,
    epoch: header.epoch,
    seq: header.seq,
    t: header.t,
    width: frame.width,
    height: frame.height,
    channels: frame.channels,
    keyIds: {},
    regions: [],
  }
  ordered.forEach((box, index) => {
    checkBox(frame, box)
    const nonce = frameNonce(header.epoch, header.seq, index)
    const cipher = createCipheriv('aes-256-gcm', keyOf(box.attribute), nonce)
    cipher.setAAD(regionAad(sidecar, index, box))
    const plain = gatherRegion(frame, box, scratchOf(regionLength(box, frame.channels)))
    const encrypted = cipher.update(plain)
    cipher.final()
    scatterRegion(frame, box, encrypted)
    sidecar.keyIds[box.attribute] = keyIdOf(header.camera, header.epoch, box.attribute)
    sidecar.regions.push({
      attribute: box.attribute,
      x: box.x,
      y: box.y,
      w: box.w,
      h: box.h,
      nonce: Buffer.from(nonce).toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    })
  })
  return sidecar
}
