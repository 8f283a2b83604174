import { describe, expect, test } from 'bun:test'
import type { LedgerRecord } from '../protocol.ts'
import { encodeRecordBody, RECORD_DOMAIN_TAG, recordLeafHash } from './record-leaf.ts'
import { hashLeaf } from './rfc6962-hash.ts'

const reference = (record: LedgerRecord) =>
  hashLeaf(new Uint8Array([...RECORD_DOMAIN_TAG, ...encodeRecordBody(record)]))

describe('recordLeafHash', () => {
  test('hashes exactly the domain tag and the encoded record body, short or long, any key', () => {
    const records: LedgerRecord[] = [
      { kind: 'feature_hash', key: 'integrity:edge-1/detections/r-1', dataHex: 'ab'.repeat(32) },
      { kind: 'enf_fingerprint', key: 'enf:édge/ключ/😀', dataHex: '' },
      { kind: 'batch_root', key: 'k', dataHex: '0f'.repeat(20_000) },
      { kind: 'host_enrollment', key: 'x'.repeat(256), dataHex: '01'.repeat(4000) },
    ]
    for (const record of records) expect(recordLeafHash(record)).toEqual(reference(record))
    // The scratch buffer is reused: a shorter record after a longer one is unaffected.
    expect(recordLeafHash(records[0] as LedgerRecord)).toEqual(
      reference(records[0] as LedgerRecord),
    )
  })

  test('refuses a malformed record instead of hashing it', () => {
    expect(() => recordLeafHash({ kind: 'feature_hash', key: 'k', dataHex: 'abc' })).toThrow(
      RangeError,
    )
    expect(() => recordLeafHash({ kind: 'feature_hash', key: '', dataHex: '' })).toThrow(RangeError)
  })
})
