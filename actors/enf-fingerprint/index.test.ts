import { describe, expect, test } from 'bun:test'
import * as enf from './index.ts'

describe('actors/enf-fingerprint/index.ts', () => {
  test('exports exactly the public ENF surface', () => {
    expect(Object.keys(enf).sort()).toEqual([
      'EnfBadReferenceError',
      'EnfDecodeFailedError',
      'EnfDependencyUnavailableError',
      'EnfFingerprintExistsError',
      'EnfFingerprintNotFoundError',
      'EnfHostUnknownError',
      'EnfInvalidParameterError',
      'EnfNoAudioError',
      'EnfNoEnfError',
      'EnfNotWavError',
      'EnfSignatureInvalidError',
      'EnfSigningKeyError',
      'EnfTooShortError',
      'EnfUnsupportedFormatError',
      'MAX_UPLOAD_BYTES',
      'MediaPathRefusedError',
      'assertEnfPresent',
      'compareEnf',
      'decodeMedia',
      'detectDiscontinuities',
      'enfFingerprintActor',
      'enfFingerprintProtocol',
      'enfPresence',
      'extractEnf',
      'fingerprintKey',
      'formatEnfCsv',
      'loadAudio',
      'loadRecordingOrSeries',
      'loadReference',
      'openMediaRoot',
      'parseFingerprintKey',
      'readEnfCsv',
      'readWav',
      'recordEnfFingerprint',
      'resolveMediaPath',
      'trustSigner',
      'verifyEnfFingerprint',
    ])
  })
})
