/**
 * Reverses scramble-frame.ts for the attributes a viewer may see, on a copy
 * of the frame. Regions are decrypted from the last encrypted to the first;
 * a region is revealed when its attribute is allowed and no later region
 * that stays encrypted overlaps it (a face inside a hidden person stays
 * hidden). Every region authenticates (AES-GCM tag over the ciphertext and
 * the AAD binding it to the frame and box) before the copy is returned:
 * a wrong key, a flipped tag or byte, or another frame's sidecar throws
 * PRIVACY_TAMPERED and nothing is shown.
 */
import { createDecipheriv } from 'node:crypto'
import {
  PrivacyNotAllowedError,
  PrivacySidecarInvalidError,
  PrivacyTamperedError,
} from './errors.ts'
import { frameNonce } from './frame-nonce.ts'
import { keyIdOf } from './key-store.ts'
import { gatherRegion, type PixelFrame, regionLength, scatterRegion } from './region-bytes.ts'
import {
  type PrivacyAttribute,
  regionAad,
  type Sidecar,
  type SidecarRegion,
  sidecarSchema,
} from './sidecar.ts'

export type UnscrambleResult = {
  readonly pixels: Uint8Array
  /** Indexes of the regions shown clear. */
  readonly revealed: readonly number[]
}

const overlaps = (a: SidecarRegion, b: SidecarRegion) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/** Parses `raw` and checks it against `frame`: size, boxes inside, counter nonces, key ids. */
export function checkSidecar(frame: PixelFrame, raw: unknown): Sidecar {
  const parsed = sidecarSchema.safeParse(raw)
  if (!parsed.success)
    throw new PrivacySidecarInvalidError(`malformed sidecar: ${parsed.error.issues[0]?.message}`)
  const sidecar = parsed.data
  if (
    sidecar.width !== frame.width ||
    sidecar.height !== frame.height ||
    sidecar.channels !== frame.channels
  )
    throw new PrivacySidecarInvalidError(
      `sidecar of a ${sidecar.width}×${sidecar.height}×${sidecar.channels} frame given a ${frame.width}×${frame.height}×${frame.channels} one`,
    )
  sidecar.regions.forEach((region, index) => {
    if (region.x + region.w > frame.width || region.y + region.h > frame.height)
      throw new PrivacySidecarInvalidError(`sidecar region ${index} lies outside the frame`)
    const nonce = Buffer.from(frameNonce(sidecar.epoch, sidecar.seq, index)).toString('base64')
    if (region.nonce !== nonce)
      throw new PrivacySidecarInvalidError(
        `sidecar region ${index} has nonce ${region.nonce}, not the counter of epoch ${sidecar.epoch} frame ${sidecar.seq}`,
      )
    if (
      sidecar.keyIds[region.attribute] !== keyIdOf(sidecar.camera, sidecar.epoch, region.attribute)
    )
      throw new PrivacySidecarInvalidError(
        `sidecar key id of ${region.attribute} does not name its epoch`,
      )
  })
  return sidecar
}

function decryptRegion(
  frame: PixelFrame,
  sidecar: Sidecar,
  index: number,
  key: Uint8Array,
  scratch: Uint8Array,
): Buffer {
  const region = sidecar.regions[index] as SidecarRegion
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(region.nonce, 'base64'))
    decipher.setAAD(regionAad(sidecar, index, region))
    decipher.setAuthTag(Buffer.from(region.tag, 'base64'))
    const plain = decipher.update(gatherRegion(frame, region, scratch))
    decipher.final()
    return plain
  } catch (error) {
    throw new PrivacyTamperedError(
      `region ${index} (${region.attribute}) of ${sidecar.camera} frame ${sidecar.epoch}/${sidecar.seq} does not authenticate: wrong key, altered pixels or tag, or another frame's sidecar`,
      { cause: error, meta: { keyId: sidecar.keyIds[region.attribute], region: index } },
    )
  }
}

/** Unscrambles the `reveal` attributes of a copy of `frame` with `keys`; throws before showing anything that fails. */
export function unscrambleFrame(
  frame: PixelFrame,
  rawSidecar: unknown,
  keys: Partial<Record<PrivacyAttribute, Uint8Array>>,
  reveal: readonly PrivacyAttribute[],
): UnscrambleResult {
  const sidecar = checkSidecar(frame, rawSidecar)
  const copy: PixelFrame = { ...frame, pixels: frame.pixels.slice() }
  const hidden: SidecarRegion[] = []
  const revealed: number[] = []
  const largest = Math.max(0, ...sidecar.regions.map((r) => regionLength(r, frame.channels)))
  const scratch = new Uint8Array(largest)
  for (let index = sidecar.regions.length - 1; index >= 0; index--) {
    const region = sidecar.regions[index] as SidecarRegion
    if (!reveal.includes(region.attribute) || hidden.some((h) => overlaps(h, region))) {
      hidden.push(region)
      continue
    }
    const key = keys[region.attribute]
    if (key === undefined)
      throw new PrivacyNotAllowedError(
        `no key given for ${region.attribute} of epoch ${sidecar.epoch}`,
      )
    scatterRegion(copy, region, decryptRegion(copy, sidecar, index, key, scratch))
    revealed.push(index)
  }
  return { pixels: copy.pixels, revealed }
}
