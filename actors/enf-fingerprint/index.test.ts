import { describe, expect, test } from 'bun:test'
import * as enf from './index.ts'

describe('actors/enf-fingerprint/index.ts', () => {
  test('exports exactly the public ENF surface', () => {
    expect(Object.keys(enf).sort()).toEqual([
      'EnfBadReferenceError',
      'EnfDecodeFailedError',
      'EnfFingerprintExistsError',
      'EnfFingerprintNotFoundError',
      'EnfInvalidParameterError',
      'EnfNoAudioError',
      'EnfNoEnfError',
      'EnfNotWavError',
      'EnfSignatureInvalidError',
      'EnfSigningKeyError',
      'EnfTooShortError',
      'EnfUnsupportedFormatError',
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
      'readEnfCsv',
      'readWav',
      'recordEnfFingerprint',
      'verifyEnfFingerprint',
    ])
  })
})
