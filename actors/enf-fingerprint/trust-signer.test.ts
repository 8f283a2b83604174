import { describe, expect, test } from 'bun:test'
import type { HostDirectory, HostOfKey } from './host-directory.ts'
import { trustSigner } from './trust-signer.ts'

const table: Record<string, HostOfKey> = {
  verifier: { hostId: 'edge-2', registered: true, zone: 'north' },
  edge1: { hostId: 'edge-1', registered: true, zone: 'north' },
  south: { hostId: 'edge-9', registered: true, zone: 'south' },
  removed: { hostId: 'edge-5', registered: false, zone: 'north' },
  loner: { hostId: 'edge-7', registered: false },
}
const directory: HostDirectory = { hostOfKey: async (key) => table[key] ?? null }

const trust = (signerKeyHex: string, namespaceHostId: string, verifierKeyHex = 'verifier') =>
  trustSigner(directory, { signerKeyHex, namespaceHostId, verifierKeyHex })

describe('trustSigner', () => {
  test('trusts a registered host of the verifier’s zone signing in its own namespace', async () => {
    expect(await trust('edge1', 'edge-1')).toEqual({ trusted: true, hostId: 'edge-1' })
  })

  test('refuses, each with its reason, keys of no host, unregistered hosts, other namespaces and other zones', async () => {
    const cases = [
      [await trust('stranger', 'edge-1'), null, 'belongs to no enrolled host'],
      [await trust('removed', 'edge-5'), 'edge-5', 'not registered'],
      [await trust('edge1', 'edge-2'), 'edge-1', "stored under host edge-2's records"],
      [await trust('south', 'edge-9'), 'edge-9', 'another zone'],
      [await trust('edge1', 'edge-1', 'loner'), 'edge-1', 'This host is not registered in a zone'],
    ] as const
    for (const [verdict, hostId, reason] of cases) {
      expect(verdict).toMatchObject({ trusted: false, hostId })
      expect(verdict.trusted === false && verdict.reason).toContain(reason)
    }
  })
})
