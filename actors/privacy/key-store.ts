/**
 * The edge host's key store for camera keys: per camera a 32-byte master
 * key in `<dir>/<camera>.master.key` (hex, mode 0600, created on first use;
 * a file others can read is refused), and the persisted epoch counter
 * `<dir>/<camera>.epoch`. Region keys are derived, never stored:
 *
 *   key(camera, epoch, attribute) = HKDF-SHA256(master, salt = "vigil.privacy.v1",
 *                                   info = camera ‖ "\n" ‖ epoch ‖ "\n" ‖ attribute, 32 bytes)
 *
 * so releasing one epoch's key of one attribute reveals nothing of other
 * epochs, attributes or cameras. Keys never reach logs, errors or the fog
 * database (only key ids do).
 */
import { hkdfSync, randomBytes } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { PrivacyKeyStoreError } from './errors.ts'
import type { PrivacyAttribute } from './sidecar.ts'

const CAMERA_ID = /^[A-Za-z0-9._-]{1,64}$/
const SALT = 'vigil.privacy.v1'

export type CameraKeyStore = {
  readonly cameraId: string
  /** The last epoch handed out (−1 before the first). */
  readonly epoch: number
  /** Allocates the next epoch and persists it before returning it (so no epoch is used twice). */
  nextEpoch(): number
  /** The region key of `attribute` in `epoch` (derived, cached). */
  key(epoch: number, attribute: PrivacyAttribute): Uint8Array
}

/** The key id a sidecar names: `<camera>/<epoch>/<attribute>`. */
export const keyIdOf = (cameraId: string, epoch: number, attribute: PrivacyAttribute) =>
  `${cameraId}/${epoch}/${attribute}`

/** Derives a region key from a master key (exported for the key-release client and tests). */
export function deriveRegionKey(
  master: Uint8Array,
  cameraId: string,
  epoch: number,
  attribute: PrivacyAttribute,
): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', master, SALT, `${cameraId}\n${epoch}\n${attribute}`, 32))
}

function readMaster(file: string): Uint8Array {
  const mode = statSync(file).mode
  if ((mode & 0o077) !== 0)
    throw new PrivacyKeyStoreError(
      `camera key file ${file} is readable by others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`,
    )
  const text = readFileSync(file, 'utf8').trim()
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new PrivacyKeyStoreError(`camera key file ${file} must hold 64 hex digits (32 bytes)`)
  return new Uint8Array(Buffer.from(text, 'hex'))
}

function loadOrCreateMaster(file: string): Uint8Array {
  if (existsSync(file)) return readMaster(file)
  writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  return readMaster(file)
}

function readEpoch(file: string): number {
  if (!existsSync(file)) return -1
  const value = Number(readFileSync(file, 'utf8').trim())
  if (!Number.isInteger(value) || value < -1)
    throw new PrivacyKeyStoreError(`epoch file ${file} must hold one integer`)
  return value
}

/** Opens (creating where needed) the key store of `cameraId` under `dir`. */
export function openCameraKeyStore(dir: string, cameraId: string): CameraKeyStore {
  if (!CAMERA_ID.test(cameraId))
    throw new PrivacyKeyStoreError(
      `camera id ${JSON.stringify(cameraId)} must be 1–64 of A–Z a–z 0–9 . _ -`,
    )
  let master: Uint8Array
  let epoch: number
  const epochFile = join(dir, `${cameraId}.epoch`)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    master = loadOrCreateMaster(join(dir, `${cameraId}.master.key`))
    epoch = readEpoch(epochFile)
  } catch (error) {
    if (error instanceof PrivacyKeyStoreError) throw error
    throw new PrivacyKeyStoreError(`cannot open the camera key store in ${dir}`, { cause: error })
  }
  const cache = new Map<string, Uint8Array>()
  return {
    cameraId,
    get epoch() {
      return epoch
    },
    nextEpoch() {
      const next = epoch + 1
      const temp = `${epochFile}.tmp`
      writeFileSync(temp, `${next}\n`, { mode: 0o600 })
      renameSync(temp, epochFile)
      epoch = next
      return next
    },
    key(at, attribute) {
      const id = `${at}/${attribute}`
      let key = cache.get(id)
      if (key === undefined) {
        key = deriveRegionKey(master, cameraId, at, attribute)
        if (cache.size > 64) cache.clear()
        cache.set(id, key)
      }
      return key
    },
  }
}
