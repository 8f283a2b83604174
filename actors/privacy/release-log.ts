/**
 * The audit log of releases: each time the service hands a viewer keys or
 * unscrambled frames it records who (the caller from the envelope), what
 * (camera, epoch, attributes, keys or frames), when (the actor clock) as a
 * `privacy_release` record. The record's hash goes to the ledger through the
 * integrity actor (`integrity.record`) BEFORE the release is answered, so
 * no release exists without its ledger entry; the record itself is appended
 * to `<keyDir>/releases.jsonl`. Key material never enters the log.
 */
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import type { ActorContext } from '../../runtime/index.ts'
import { recordHash } from '../integrity/index.ts'
import type { PrivacyAttribute } from './sidecar.ts'

export const RELEASE_TABLE = 'privacy_release'

export type Release = {
  readonly viewer: string
  readonly camera: string
  readonly epoch: number
  readonly attributes: readonly PrivacyAttribute[]
  readonly kind: 'keys' | 'frames'
}

export type ReleaseEntry = {
  readonly id: string
  readonly data: Record<string, unknown>
  readonly hash: string
}

export type ReleaseLogOptions = {
  readonly file: string
  /** Host id the integrity actor records under (its own). */
  readonly hostId: string
  readonly integrityActor?: string | undefined
  /** Entries kept in memory for `privacy.releases`. */
  readonly keep?: number | undefined
}

/** A release log writing to `file` and, when configured, the ledger. */
export function createReleaseLog(options: ReleaseLogOptions) {
  const recent: ReleaseEntry[] = []
  const keep = options.keep ?? 1_000
  return {
    recent: () => recent.slice(),
    async record(context: ActorContext, release: Release): Promise<ReleaseEntry> {
      const id = randomUUID()
      const data = { ...release, attributes: [...release.attributes], atMs: context.clock.now() }
      const record = { table: RELEASE_TABLE, id, data }
      if (options.integrityActor !== undefined)
        await context.ask(options.integrityActor, 'integrity.record', { records: [record] })
      const entry = { id, data, hash: recordHash(record, options.hostId) }
      appendFileSync(options.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 })
      recent.push(entry)
      if (recent.length > keep) recent.shift()
      context.log('privacy_released', {
        id,
        viewer: release.viewer,
        camera: release.camera,
        epoch: release.epoch,
        kind: release.kind,
      })
      return entry
    },
  }
}

export type ReleaseLog = ReturnType<typeof createReleaseLog>
