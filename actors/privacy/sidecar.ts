/**
 * The sidecar of one scrambled frame: which camera, epoch and frame it
 * belongs to, and per region its attribute, its box, its nonce and its
 * AES-GCM tag; plus the key id per attribute. Regions are listed in the
 * order they were encrypted (faces first, then people), and each region's
 * additional authenticated data binds it to this frame and this box
 * (`regionAad`), so a tag only verifies with the frame's own sidecar.
 */
import { z } from 'zod'

export const privacyAttributes = ['faces', 'people'] as const
export type PrivacyAttribute = (typeof privacyAttributes)[number]

const base64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .refine((text) => Buffer.from(text, 'base64').length === bytes, `must be ${bytes} bytes`)

export const sidecarRegionSchema = z.object({
  attribute: z.enum(privacyAttributes),
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  w: z.number().int().min(1),
  h: z.number().int().min(1),
  nonce: base64(12),
  tag: base64(16),
})

export const sidecarSchema = z.object({
  v: z.literal(1),
  camera: z.string().min(1),
  epoch: z.number().int().min(0),
  seq: z.number().int().min(0),
  t: z.number().describe('capture time, unix ms'),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  channels: z.union([z.literal(1), z.literal(3)]),
  keyIds: z.record(z.string(), z.string()).describe('attribute → key id (camera/epoch/attribute)'),
  regions: z.array(sidecarRegionSchema),
})

export type Sidecar = z.output<typeof sidecarSchema>
export type SidecarRegion = z.output<typeof sidecarRegionSchema>

/** The additional authenticated data of region `index`. */
export function regionAad(
  sidecar: Pick<Sidecar, 'camera' | 'epoch' | 'seq' | 'width' | 'height' | 'channels'>,
  index: number,
  region: Pick<SidecarRegion, 'attribute' | 'x' | 'y' | 'w' | 'h'>,
): Uint8Array {
  return new TextEncoder().encode(
    `vigil.privacy.region.v1\n${sidecar.camera}\n${sidecar.epoch}\n${sidecar.seq}\n` +
      `${sidecar.width}x${sidecar.height}x${sidecar.channels}\n${index}\n${region.attribute}\n` +
      `${region.x},${region.y},${region.w},${region.h}`,
  )
}
