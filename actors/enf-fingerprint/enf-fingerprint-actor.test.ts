import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActorContext } from '../../runtime/actor/define-actor.ts'
import { systemClock } from '../../runtime/clock/clock.ts'
import { enfFingerprintActor } from './enf-fingerprint-actor.ts'
import { EnfInvalidParameterError, EnfSigningKeyError } from './errors.ts'
import { generateHostSigningKeyFile } from './host-signing-key.ts'
import { createMemoryLedger, type MemoryLedger } from './testing/memory-ledger.ts'
import { enfDataPath } from './testing/shared-data.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

/** A context whose asks to 'ledger' reach an in-memory ledger (the kernel does this across workers). */
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
  test('records through the ledger actor and verifies the same recording', async () => {
    const ledger = createMemoryLedger()
    const events: string[] = []
    const context = contextFor(ledger, events)
    const state = await enfFingerprintActor.init({ signingKeyPath: keyPath }, context)
    const audioPath = enfDataPath('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')
    const protocol = enfFingerprintActor.protocol
    const recordPayload = protocol['enf.record'].payload.parse({
      recordingId: 'cam-1:42',
      audioPath,
    })
    const recorded = protocol['enf.record'].reply.parse(
      await enfFingerprintActor.receive['enf.record'](recordPayload, state, context),
    )
    expect(recorded.fingerprintId).toBe('enf:cam-1:42')
    expect(ledger.records.has('enf:cam-1:42')).toBe(true)
    const verifyPayload = protocol['enf.verify'].payload.parse({
      recordingId: 'cam-1:42',
      candidatePath: audioPath,
    })
    const verified = protocol['enf.verify'].reply.parse(
      await enfFingerprintActor.receive['enf.verify'](verifyPayload, state, context),
    )
    expect(verified).toMatchObject({ passed: true, verdict: 'authentic', sameFile: true })
    expect(verified.receipt.height).toBe(recorded.receipt.height)
    expect(events).toEqual(['enf-fingerprint.init', 'enf.recorded', 'enf.verified'])
  })

  test('serves the ENF series and the tamper verdict without the ledger', async () => {
    const events: string[] = []
    const context = contextFor(createMemoryLedger(), events)
    const state = await enfFingerprintActor.init({ signingKeyPath: keyPath }, context)
    const protocol = enfFingerprintActor.protocol
    const recording = enfDataPath('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')
    const reference = enfDataPath('ENFify/notebooks/Wuhan_ENF_data/down_001_ref.wav')
    const extracted = protocol['enf.extract'].reply.parse(
      await enfFingerprintActor.receive['enf.extract']({ audioPath: reference }, state, context),
    )
    expect(extracted.frequencyHz.length).toBe(extracted.snrDb.length)
    expect(extracted.validFraction).toBeGreaterThan(0.9)
    // Plain data only: the reply survives structured clone unchanged.
    expect(structuredClone(extracted)).toEqual(extracted)
    const compared = protocol['enf.compare'].reply.parse(
      await enfFingerprintActor.receive['enf.compare'](
        { recordingPath: recording, referencePath: reference },
        state,
        context,
      ),
    )
    expect(compared.verdict).toBe('authentic')
    expect(compared.windows.length).toBeGreaterThan(50)
  })

  test('refuses paths outside its media folder', async () => {
    const context = contextFor(createMemoryLedger(), [])
    const state = await enfFingerprintActor.init(
      { signingKeyPath: keyPath, mediaRoot: join(dir, 'media') },
      context,
    )
    const outside = enfDataPath('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')
    await expect(
      Promise.resolve(
        enfFingerprintActor.receive['enf.record'](
          { recordingId: 'x', audioPath: outside },
          state,
          context,
        ),
      ),
    ).rejects.toThrow(EnfInvalidParameterError)
    await expect(
      Promise.resolve(
        enfFingerprintActor.receive['enf.record'](
          { recordingId: 'x', audioPath: join(dir, 'media', '..', 'host-key.json') },
          state,
          context,
        ),
      ),
    ).rejects.toThrow(EnfInvalidParameterError)
  })

  test('rejects malformed payloads at the protocol boundary', () => {
    const record = enfFingerprintActor.protocol['enf.record'].payload
    expect(record.safeParse({ recordingId: 'has space', audioPath: '/x.wav' }).success).toBe(false)
    expect(record.safeParse({ recordingId: 'ok', audioPath: '/x.wav', nominal: 55 }).success).toBe(
      false,
    )
  })

  test('fails to start without a readable signing key file', async () => {
    await expect(
      Promise.resolve(
        enfFingerprintActor.init(
          { signingKeyPath: join(dir, 'nope') },
          contextFor(createMemoryLedger(), []),
        ),
      ),
    ).rejects.toThrow(EnfSigningKeyError)
  })

  test('snapshots only its plain-data arguments and migrates from them', async () => {
    const context = contextFor(createMemoryLedger(), [])
    const state = await enfFingerprintActor.init({ signingKeyPath: keyPath, nominal: 60 }, context)
    const snapshot = enfFingerprintActor.snapshot!(state)
    expect(structuredClone(snapshot)).toEqual(snapshot)
    const migrated = await enfFingerprintActor.migrate!(1, snapshot, context)
    expect(migrated.args.nominal).toBe(60)
    expect(migrated.signer.publicKeyHex).toBe(state.signer.publicKeyHex)
  })
})
