import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActorContext } from '../../runtime/index.ts'
import { systemClock } from '../../runtime/index.ts'
import { enfFingerprintActor } from './enf-fingerprint-actor.ts'
import { EnfSigningKeyError } from './errors.ts'
import { generateHostSigningKeyFile } from './host-signing-key.ts'
import { MAX_UPLOAD_BYTES } from './protocol.ts'
import { createMemoryLedger, type MemoryLedger } from './testing/index.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

/** A context whose asks to 'ledger' reach an in-memory ledger (the worker tests use real workers). */
function contextFor(ledger: MemoryLedger, events: string[]): ActorContext {
  return {
    self: 'enf-fingerprint',
    caller: undefined,
    clock: systemClock,
    log: (event) => events.push(event),
    async ask<Reply>(actor: string, type: string, payload: unknown): Promise<Reply> {
      if (actor !== 'ledger') throw new Error(`unexpected actor ${actor}`)
      if (type === 'ledger.commit') return (await ledger.commit(payload as never)) as Reply
      if (type === 'ledger.get')
        return (await ledger.get((payload as { key: string }).key)) as Reply
      throw new Error(`unexpected message ${type}`)
    },
    tell() {},
  }
}

let dir: string
let keyPath: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-enf-actor-'))
  keyPath = join(dir, 'host-key.json')
  await generateHostSigningKeyFile(keyPath)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('enfFingerprintActor', () => {
  test('rejects malformed payloads at the protocol boundary', () => {
    const record = enfFingerprintActor.protocol['enf.record'].payload
    expect(record.safeParse({ recordingId: 'has space', audioPath: '/x.wav' }).success).toBe(false)
    expect(record.safeParse({ recordingId: 'ok', audioPath: '/x.wav', nominal: 55 }).success).toBe(
      false,
    )
    // A recording is named by exactly one of a path and its bytes, and the bytes are bounded.
    expect(record.safeParse({ recordingId: 'ok' }).success).toBe(false)
    expect(record.safeParse({ recordingId: 'ok', audioPath: 'a.wav', audio: 'AAAA' }).success).toBe(
      false,
    )
    expect(record.safeParse({ recordingId: 'ok', audio: 'AAAA' }).success).toBe(true)
    expect(record.safeParse({ recordingId: 'ok', audio: 'not base64!' }).success).toBe(false)
    const tooBig = 'A'.repeat(4 * Math.ceil(MAX_UPLOAD_BYTES / 3) + 4)
    expect(record.safeParse({ recordingId: 'ok', audio: tooBig }).success).toBe(false)
  })

  test('fails to start without a readable signing key file', async () => {
    await expect(
      Promise.resolve(
        enfFingerprintActor.init(
          { signingKeyPath: join(dir, 'nope'), mediaRoot: join(dir, 'media') },
          contextFor(createMemoryLedger(), []),
        ),
      ),
    ).rejects.toThrow(EnfSigningKeyError)
  })

  test('snapshots only its plain-data arguments and migrates from them', async () => {
    const context = contextFor(createMemoryLedger(), [])
    const state = await enfFingerprintActor.init(
      { signingKeyPath: keyPath, mediaRoot: join(dir, 'media'), nominal: 60 },
      context,
    )
    const snapshot = enfFingerprintActor.snapshot!(state)
    expect(structuredClone(snapshot)).toEqual(snapshot)
    const migrated = await enfFingerprintActor.migrate!(1, snapshot, context)
    expect(migrated.args.nominal).toBe(60)
    expect(migrated.signer.publicKeyHex).toBe(state.signer.publicKeyHex)
  })
})
