import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { copyFile, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Receipt } from '../../ledger/index.ts'
import {
  type ActorSystem,
  type BaseError,
  createActorSystem,
  errorResponse,
  toWireError,
} from '../../runtime/index.ts'
import { rejectionOf } from '../../runtime/testing/index.ts'
import { loadFftCoreSync } from '../../wasm/index.ts'
import type { IdentityFixtureHost } from '../identity/testing/index.ts'
import { MediaPathRefusedError } from './errors.ts'
import { generateHostSigningKeyFile, type HostSigner } from './host-signing-key.ts'
import { recordEnfFingerprint } from './record-enf-fingerprint.ts'
import { createMemoryLedger, enfFixturePath } from './testing/index.ts'

// Real recordings, ffmpeg and workers on a shared 2-core machine: more than bun's 5 s default.
setDefaultTimeout(120_000)

const enfActor = {
  module: new URL('./enf-fingerprint-actor.ts', import.meta.url).href,
  export: 'enfFingerprintActor',
}
const identityFixture = {
  module: new URL('../identity/testing/identity-actor-fixture.ts', import.meta.url).href,
  export: 'identityActorFixture',
}
const ledgerFixture = {
  module: new URL('./testing/memory-ledger-actor-fixture.ts', import.meta.url).href,
  export: 'memoryLedgerActorFixture',
}

const sample = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')
const sampleReference = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001_ref.wav')
const SECRET = 'TOP-SECRET-CONTENT-1234'

let dir: string
let media: string
let system: ActorSystem
const signers: Record<string, HostSigner> = {}

const base64Key = (signer: HostSigner) => Buffer.from(signer.publicKeyHex, 'hex').toString('base64')

/** The error a refused ask answers with, as the gateway would send it to an HTTP caller. */
async function httpError(promise: Promise<unknown>) {
  const error = (await rejectionOf(promise)) as BaseError
  return { wire: toWireError(error), http: errorResponse(error) }
}

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'vigil-enf-actor-')))
  media = join(dir, 'media')
  await mkdir(join(media, 'cam-1'), { recursive: true })
  await copyFile(sample, join(media, 'cam-1', 'clip.wav'))
  await copyFile(sampleReference, join(media, 'cam-1', 'grid.wav'))
  await writeFile(join(dir, 'secret.txt'), SECRET)
  await writeFile(join(media, 'not-media.bin'), `${SECRET}\n`.repeat(50))
  await writeFile(join(media, 'bad.csv'), `time,frequency\n0,50.01\n1,${SECRET}\n`)
  await symlink(join(dir, 'secret.txt'), join(media, 'secret-link.wav'))
  for (const name of ['edge-1', 'edge-2', 'far', 'rogue']) {
    signers[name] = await generateHostSigningKeyFile(join(dir, `${name}.json`))
  }
  const hosts: IdentityFixtureHost[] = [
    { publicKey: base64Key(signers['edge-1']!), hostId: 'edge-1', registered: true, zone: 'z1' },
    { publicKey: base64Key(signers['edge-2']!), hostId: 'edge-2', registered: true, zone: 'z1' },
    { publicKey: base64Key(signers.far!), hostId: 'far', registered: true, zone: 'z2' },
  ]
  system = createActorSystem({ config: { simulateSerialization: true } })
  await system.spawn('identity', identityFixture, { args: { hosts } })
  await system.spawn('ledger', ledgerFixture)
  await system.spawn('enf-cam-1', enfActor, {
    args: { signingKeyPath: join(dir, 'edge-1.json'), mediaRoot: media },
  })
  await system.spawn('enf-orphan', enfActor, {
    args: { signingKeyPath: join(dir, 'edge-1.json'), mediaRoot: media, identityActor: 'nobody' },
  })
})

afterAll(async () => {
  await system?.shutdown({ deadlineMs: 5_000 })
  await rm(dir, { recursive: true, force: true })
})

/** Writes a fingerprint of the sample, signed by `signer`, under `hostId`'s key (as a forger could). */
async function plant(signer: HostSigner, hostId: string, recordingId: string): Promise<void> {
  const { receipt } = await recordEnfFingerprint(
    { ledger: createMemoryLedger(), core: loadFftCoreSync(), signer },
    { hostId, recordingId, audioPath: sample, nominal: 50 },
  )
  await system.ask('ledger', 'ledger.commit', receipt.record)
}

describe('enfFingerprintActor in a worker', () => {
  test('records a file of its media folder under its host’s namespace and verifies it', async () => {
    const recorded = (await system.ask(
      'enf-cam-1',
      'enf.record',
      { recordingId: 'cam-1:42', audioPath: 'cam-1/clip.wav' },
      { timeoutMs: 60_000 },
    )) as { fingerprintId: string; receipt: Pick<Receipt, 'height'> }
    expect(recorded.fingerprintId).toBe('enf:edge-1/cam-1:42')
    const verified = await system.ask(
      'enf-cam-1',
      'enf.verify',
      { recordingId: 'cam-1:42', candidatePath: join(media, 'cam-1', 'clip.wav') },
      { timeoutMs: 60_000 },
    )
    expect(verified).toMatchObject({
      passed: true,
      verdict: 'authentic',
      sameFile: true,
      signerHostId: 'edge-1',
      signerTrusted: true,
    })
  })

  test('takes the recording as uploaded bytes instead of a path', async () => {
    const audio = Buffer.from(await Bun.file(sample).arrayBuffer()).toString('base64')
    const extracted = (await system.ask(
      'enf-cam-1',
      'enf.extract',
      { audio },
      { timeoutMs: 60_000 },
    )) as { frequencyHz: number[]; validFraction: number }
    expect(extracted.frequencyHz.length).toBeGreaterThan(100)
    const compared = (await system.ask(
      'enf-cam-1',
      'enf.compare',
      { recording: audio, referencePath: 'cam-1/grid.wav' },
      { timeoutMs: 60_000 },
    )) as { verdict: string; windows: { startSeconds: number; rmseHz: number | null }[] }
    expect(compared.verdict).toBe('authentic')
    expect(Object.keys(compared.windows[0]!)).toEqual([
      'startSeconds',
      'endSeconds',
      'r',
      'rmseHz',
      'snrDb',
      'status',
    ])
  })

  test('refuses paths outside its media folder, .. and symbolic links with one answer that leaks nothing', async () => {
    const requests = [
      join(dir, 'secret.txt'),
      '../secret.txt',
      'secret-link.wav',
      'cam-1/missing.wav',
    ]
    const answers = []
    for (const audioPath of requests) {
      answers.push(
        await httpError(system.ask('enf-cam-1', 'enf.record', { recordingId: 'x', audioPath })),
      )
    }
    for (const { wire, http } of answers) {
      expect(MediaPathRefusedError.is(wire)).toBe(true)
      expect(wire.kind).toBe('application')
      expect(http.body.details).toBeUndefined()
      expect(JSON.stringify(http.body)).not.toContain('secret')
    }
    expect(new Set(answers.map((a) => a.wire.message)).size).toBe(1)
  })

  test('answers a file ffmpeg cannot decode and a malformed CSV without their contents or ffmpeg’s output', async () => {
    const decode = await httpError(
      system.ask('enf-cam-1', 'enf.extract', { audioPath: 'not-media.bin' }, { timeoutMs: 30_000 }),
    )
    expect(decode.wire.code).toBe('ENF_DECODE_FAILED')
    const csv = await httpError(
      system.ask(
        'enf-cam-1',
        'enf.compare',
        { recordingPath: 'cam-1/clip.wav', referencePath: 'bad.csv' },
        { timeoutMs: 60_000 },
      ),
    )
    expect(csv.wire.code).toBe('ENF_BAD_REFERENCE')
    for (const { wire, http } of [decode, csv]) {
      expect(wire.details).toBeUndefined()
      expect(wire.cause).toBeUndefined()
      const body = JSON.stringify(http.body)
      expect(body).not.toContain(SECRET)
      expect(body).not.toContain(media)
      expect(body).not.toMatch(/Invalid data|ffmpeg version|Input #0/)
    }
  })

  test('does not verify fingerprints from unregistered keys, other namespaces or other zones', async () => {
    await plant(signers.rogue!, 'edge-1', 'forged-1')
    await plant(signers['edge-2']!, 'edge-1', 'forged-2')
    await plant(signers.far!, 'far', 'far-1')
    await plant(signers['edge-2']!, 'edge-2', 'peer-1')
    const verify = (hostId: string, recordingId: string) =>
      system.ask(
        'enf-cam-1',
        'enf.verify',
        { hostId, recordingId, candidatePath: 'cam-1/clip.wav' },
        { timeoutMs: 60_000 },
      ) as Promise<{ passed: boolean; signerTrusted: boolean; reason: string }>
    const rogue = await verify('edge-1', 'forged-1')
    expect(rogue).toMatchObject({ passed: false, signerTrusted: false })
    expect(rogue.reason).toContain('belongs to no enrolled host')
    expect((await verify('edge-1', 'forged-2')).reason).toContain('stored under host edge-1')
    expect((await verify('far', 'far-1')).reason).toContain('another zone')
    expect(await verify('edge-2', 'peer-1')).toMatchObject({ passed: true, signerTrusted: true })
  })

  test('answers a missing identity actor as its own failure, not as the ENF actor missing', async () => {
    const { wire } = await httpError(
      system.ask('enf-orphan', 'enf.record', { recordingId: 'o-1', audioPath: 'cam-1/clip.wav' }),
    )
    expect(wire.code).toBe('ENF_DEPENDENCY_UNAVAILABLE')
    expect(wire.meta).toEqual({ actor: 'nobody', code: 'ACTOR_NOT_FOUND' })
  })
})
