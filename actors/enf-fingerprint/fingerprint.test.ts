import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateHostKey, writeHostKey } from '../../runtime/index.ts'
import { loadFftCoreSync } from '../../wasm/index.ts'
import {
  canonicalFingerprintBytes,
  fingerprintKey,
  fromLedgerRecord,
  toLedgerRecord,
} from './enf-fingerprint-record.ts'
import {
  EnfFingerprintExistsError,
  EnfFingerprintNotFoundError,
  EnfNoEnfError,
  EnfSignatureInvalidError,
  EnfSigningKeyError,
} from './errors.ts'
import type { HostDirectory } from './host-directory.ts'
import {
  generateHostSigningKeyFile,
  type HostSigner,
  loadHostSigningKey,
  parseHostSigningKey,
  verifyHostSignature,
} from './host-signing-key.ts'
import { recordEnfFingerprint } from './record-enf-fingerprint.ts'
import {
  addNoise,
  createMemoryLedger,
  enfFixturePath,
  loadEnfFixture,
  whuReference,
} from './testing/index.ts'
import { verifyEnfFingerprint } from './verify-enf-fingerprint.ts'
import { writeWav } from './write-wav.ts'

// Real recordings on a shared 2-core machine: allow more than bun's 5 s default.
setDefaultTimeout(60_000)

const core = loadFftCoreSync()
const noisyRecording = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')
const itsReference = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001_ref.wav')
let dir: string
let signer: HostSigner
/** The identity registry as these tests see it: only `signer` is a registered host (edge-1, zone z1). */
const hosts: HostDirectory = {
  async hostOfKey(publicKeyHex) {
    return publicKeyHex === signer.publicKeyHex
      ? { hostId: 'edge-1', registered: true, zone: 'z1' }
      : null
  },
}
let original: string
let spliced: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-enf-fingerprint-'))
  signer = await generateHostSigningKeyFile(join(dir, 'host-key.json'))
  // A 20 dB-noisy mains recording, and the same with 45 s of another day's mains spliced in.
  const host = await loadEnfFixture(whuReference(5))
  const donor = await loadEnfFixture(whuReference(12))
  const noisy = addNoise(host, 20, 1)
  original = join(dir, 'camera-5.wav')
  await writeFile(
    original,
    writeWav(noisy.samples, { sampleRate: host.sampleRate, encoding: 'float32' }),
  )
  const forged = new Float64Array(noisy.samples)
  const fs = host.sampleRate
  forged.set(addNoise(donor, 20, 2).samples.subarray(100 * fs, 145 * fs), 200 * fs)
  spliced = join(dir, 'camera-5-forged.wav')
  await writeFile(spliced, writeWav(forged, { sampleRate: fs, encoding: 'float32' }))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('host signing key', () => {
  test('signs canonical bytes that verify only unchanged and only with its key', async () => {
    const key = await loadHostSigningKey(join(dir, 'host-key.json'))
    expect(key.publicKeyHex).toBe(signer.publicKeyHex)
    const bytes = new TextEncoder().encode('{"v":1}')
    const signature = key.sign(bytes)
    expect(verifyHostSignature(key.publicKeyHex, bytes, signature)).toBe(true)
    expect(
      verifyHostSignature(key.publicKeyHex, new TextEncoder().encode('{"v":2}'), signature),
    ).toBe(false)
    const other = parseHostSigningKey('11'.repeat(32))
    expect(verifyHostSignature(other.publicKeyHex, bytes, signature)).toBe(false)
  })

  test('accepts the edge host’s own PKCS#8 PEM identity key and refuses non-Ed25519 keys', async () => {
    const hostKey = generateHostKey()
    const pem = join(dir, 'edge-1.pem')
    await writeHostKey(pem, hostKey)
    const signer = await loadHostSigningKey(pem)
    expect(signer.publicKeyHex).toBe(Buffer.from(hostKey.publicKeyBase64, 'base64').toString('hex'))
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey
    expect(() =>
      parseHostSigningKey(rsa.export({ format: 'pem', type: 'pkcs8' }).toString()),
    ).toThrow(EnfSigningKeyError)
  })

  test('rejects a missing or malformed key file with ENF_SIGNING_KEY', async () => {
    await expect(loadHostSigningKey(join(dir, 'missing.json'))).rejects.toThrow(EnfSigningKeyError)
    expect(() => parseHostSigningKey('{"kty":"RSA"}')).toThrow(EnfSigningKeyError)
    expect(() => parseHostSigningKey('not a key')).toThrow(EnfSigningKeyError)
  })
})

describe('recordEnfFingerprint and verifyEnfFingerprint', () => {
  test('records a signed fingerprint that verifies against the same recording', async () => {
    const ledger = createMemoryLedger()
    const recorded = await recordEnfFingerprint(
      { ledger, core, signer },
      {
        hostId: 'edge-1',
        recordingId: 'cam-1:0001',
        audioPath: noisyRecording,
        nominal: 50,
        capturedAtMs: 1_700_000_000_000,
      },
    )
    expect(recorded.fingerprintId).toBe('enf:edge-1/cam-1:0001')
    expect(recorded.receipt.record.kind).toBe('enf_fingerprint')
    const stored = fromLedgerRecord(recorded.receipt.record)
    expect(stored.fingerprint.hostPublicKey).toBe(signer.publicKeyHex)
    expect(stored.fingerprint.deviationMicroHz.length).toBe(recorded.steps)
    const verified = await verifyEnfFingerprint(
      { ledger, core, hosts, verifierKeyHex: signer.publicKeyHex },
      { hostId: 'edge-1', recordingId: 'cam-1:0001', candidatePath: noisyRecording },
    )
    expect(verified).toMatchObject({
      passed: true,
      correlationReached: true,
      verdict: 'authentic',
      sameFile: true,
    })
    expect(verified.correlation).toBeGreaterThan(0.99)
  })

  test('verifies the grid reference of the same time against a noisy recording’s fingerprint', async () => {
    const ledger = createMemoryLedger()
    await recordEnfFingerprint(
      { ledger, core, signer },
      { hostId: 'edge-1', recordingId: 'r', audioPath: noisyRecording, nominal: 50 },
    )
    const verified = await verifyEnfFingerprint(
      { ledger, core, hosts, verifierKeyHex: signer.publicKeyHex },
      { hostId: 'edge-1', recordingId: 'r', candidatePath: itsReference },
    )
    expect(verified.verdict).toBe('authentic')
    expect(verified.correlation).toBeGreaterThanOrEqual(0.8)
    expect(verified.passed).toBe(true)
    expect(verified.sameFile).toBe(false)
  })

  test('fails verification of a recording with a spliced segment and locates it', async () => {
    const ledger = createMemoryLedger()
    await recordEnfFingerprint(
      { ledger, core, signer },
      { hostId: 'edge-1', recordingId: 'cam-5', audioPath: original, nominal: 50 },
    )
    const verified = await verifyEnfFingerprint(
      { ledger, core, hosts, verifierKeyHex: signer.publicKeyHex },
      { hostId: 'edge-1', recordingId: 'cam-5', candidatePath: spliced },
    )
    expect(verified.passed).toBe(false)
    expect(verified.verdict).toBe('tampered')
    expect(verified.tamperedSpans.some((s) => s.startSeconds < 245 && s.endSeconds > 200)).toBe(
      true,
    )
  })

  test('fails verification of a copy with 10 s cut out of it', async () => {
    const ledger = createMemoryLedger()
    const uncut = enfFixturePath('ENFify/samples/whu_uncut_min_001_ref.wav')
    const cut = enfFixturePath('ENFify/samples/whu_cut_min_001_ref.wav')
    await recordEnfFingerprint(
      { ledger, core, signer },
      { hostId: 'edge-1', recordingId: 'door-3', audioPath: uncut, nominal: 50 },
    )
    const genuine = await verifyEnfFingerprint(
      { ledger, core, hosts, verifierKeyHex: signer.publicKeyHex },
      { hostId: 'edge-1', recordingId: 'door-3', candidatePath: uncut },
    )
    expect(genuine.passed).toBe(true)
    const edited = await verifyEnfFingerprint(
      { ledger, core, hosts, verifierKeyHex: signer.publicKeyHex },
      { hostId: 'edge-1', recordingId: 'door-3', candidatePath: cut },
    )
    expect(edited.passed).toBe(false)
    expect(edited.verdict).toBe('tampered')
    expect(edited.tamperedSpans).toEqual([
      {
        startSeconds: expect.closeTo(36.5, 0),
        endSeconds: expect.closeTo(37.5, 0),
        windows: 0,
        kind: 'phase_discontinuity',
      },
    ])
  })

  test('rejects a fingerprint altered on the ledger with ENF_SIGNATURE_INVALID', async () => {
    const ledger = createMemoryLedger()
    const { receipt } = await recordEnfFingerprint(
      { ledger, core, signer },
      { hostId: 'edge-1', recordingId: 'cam-6', audioPath: original, nominal: 50 },
    )
    const signed = fromLedgerRecord(receipt.record)
    signed.fingerprint.deviationMicroHz[10]! += 5000
    ledger.tamper(fingerprintKey('edge-1', 'cam-6'), toLedgerRecord(signed, 'edge-1').dataHex)
    await expect(
      verifyEnfFingerprint(
        { ledger, core, hosts, verifierKeyHex: signer.publicKeyHex },
        { hostId: 'edge-1', recordingId: 'cam-6', candidatePath: original },
      ),
    ).rejects.toThrow(EnfSignatureInvalidError)
  })

  test('does not verify a validly signed fingerprint whose key belongs to no registered host', async () => {
    const ledger = createMemoryLedger()
    const rogue = parseHostSigningKey('22'.repeat(32))
    await recordEnfFingerprint(
      { ledger, core, signer: rogue },
      { hostId: 'edge-1', recordingId: 'cam-7', audioPath: original, nominal: 50 },
    )
    const verified = await verifyEnfFingerprint(
      { ledger, core, hosts, verifierKeyHex: signer.publicKeyHex },
      { hostId: 'edge-1', recordingId: 'cam-7', candidatePath: original },
    )
    expect(verified).toMatchObject({
      passed: false,
      signerTrusted: false,
      signerHostId: null,
      verdict: 'inconclusive',
      tamperedSpans: [],
    })
    expect(verified.reason).toContain('belongs to no enrolled host')
  })

  test('answers ENF_FINGERPRINT_NOT_FOUND for an unknown recording id', async () => {
    await expect(
      verifyEnfFingerprint(
        { ledger: createMemoryLedger(), core, hosts, verifierKeyHex: signer.publicKeyHex },
        { hostId: 'edge-1', recordingId: 'nope', candidatePath: original },
      ),
    ).rejects.toThrow(EnfFingerprintNotFoundError)
  })

  test('returns the stored receipt when the same host records the same file again', async () => {
    const ledger = createMemoryLedger()
    const first = await recordEnfFingerprint(
      { ledger, core, signer },
      { hostId: 'edge-1', recordingId: 'x', audioPath: original, nominal: 50 },
    )
    const again = await recordEnfFingerprint(
      { ledger, core, signer },
      { hostId: 'edge-1', recordingId: 'x', audioPath: original, nominal: 50 },
    )
    expect(again.receipt).toEqual(first.receipt)
    await expect(
      recordEnfFingerprint(
        { ledger, core, signer },
        { hostId: 'edge-1', recordingId: 'x', audioPath: spliced, nominal: 50 },
      ),
    ).rejects.toThrow(EnfFingerprintExistsError)
  })

  test('refuses to fingerprint a recording without ENF', async () => {
    const ledger = createMemoryLedger()
    await expect(
      recordEnfFingerprint(
        { ledger, core, signer },
        {
          hostId: 'edge-1',
          recordingId: 'h0',
          audioPath: enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_01-first-120s.wav'),
          nominal: 50,
        },
      ),
    ).rejects.toThrow(EnfNoEnfError)
    expect(ledger.records.size).toBe(0)
  })

  test('encodes fingerprints canonically: the same content gives the same bytes', async () => {
    const ledger = createMemoryLedger()
    const { receipt } = await recordEnfFingerprint(
      { ledger, core, signer },
      { hostId: 'edge-1', recordingId: 'c', audioPath: original, nominal: 50 },
    )
    const decoded = fromLedgerRecord(receipt.record)
    expect(toLedgerRecord(decoded, 'edge-1')).toEqual(receipt.record)
    const shuffled = Object.fromEntries(
      Object.entries(decoded.fingerprint).reverse(),
    ) as typeof decoded.fingerprint
    expect(canonicalFingerprintBytes(shuffled)).toEqual(
      canonicalFingerprintBytes(decoded.fingerprint),
    )
  })
})
