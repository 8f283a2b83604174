import { describe, expect, test } from 'bun:test'
import { generateHostKey } from '../rpc/host-key.ts'
import { openSnapshot, SnapshotSeal } from './snapshot-seal.ts'

/** Two enrolled hosts, each with its own seal over the same enrollment. */
function twoSeals() {
  const keys = { 'edge-1': generateHostKey(), 'edge-2': generateHostKey() }
  const hosts = Object.entries(keys).map(([hostId, key]) => ({
    hostId,
    role: 'edge' as const,
    publicKey: key.publicKeyBase64,
  }))
  const enrollment = {
    domain: 'test',
    hosts,
    find: (id: string) => hosts.find((host) => host.hostId === id),
  }
  return {
    edge1: new SnapshotSeal({ hostId: 'edge-1', key: keys['edge-1'], enrollment }),
    edge2: new SnapshotSeal({ hostId: 'edge-2', key: keys['edge-2'], enrollment }),
  }
}

const snapshot = {
  actor: 'ledger',
  kind: 'fault-ledger',
  version: 1,
  seq: 7,
  state: { bits: new Uint8Array([1, 2, 3]), applied: 3, label: 'x' },
}

describe('SnapshotSeal', () => {
  test("a sealed snapshot verifies on another host and opens to the owner's state", () => {
    const { edge1, edge2 } = twoSeals()
    const signed = edge1.seal(snapshot)
    expect(edge2.verify(signed)).toBe(true)
    expect(openSnapshot(signed)).toEqual(snapshot)
  })

  test('changing any signed field, a state byte or the named signer breaks the signature', () => {
    const { edge1, edge2 } = twoSeals()
    const signed = edge1.seal(snapshot)
    const state = new Uint8Array(signed.state)
    state[state.length - 1] = (state[state.length - 1] as number) ^ 1
    for (const altered of [
      { ...signed, seq: 8 },
      { ...signed, actor: 'other' },
      { ...signed, kind: 'other-kind' },
      { ...signed, version: 2 },
      { ...signed, state },
      { ...signed, signer: 'edge-2' },
    ]) {
      expect(edge2.verify(altered)).toBe(false)
    }
  })

  test('a snapshot naming a host that is not enrolled does not verify', () => {
    const { edge1 } = twoSeals()
    expect(edge1.verify({ ...edge1.seal(snapshot), signer: 'mallory' })).toBe(false)
  })
})
