/**
 * Signed snapshot replicas, end to end: fog-1, edge-1 and edge-2 as real
 * hosts in this process (TCP on loopback, real workers), a stateful ledger
 * actor placed on edge-1 (its replicas go to edge-2), and "mallory", an
 * enrolled peer (a real RPC node with its own key) that forges snapshots.
 * When edge-1 leaves, edge-2 must resume the ledger from edge-1's own
 * replica, whatever mallory stored or answered. See docs/reliability.md,
 * "Signed snapshots".
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import {
  inProcessHosts,
  type LedgerState,
  type RoguePeer,
  startRoguePeer,
  waitFor,
} from '../testing/index.ts'
import type { SignedSnapshot } from './snapshot-seal.ts'
import type { Host } from './start-host.ts'

setDefaultTimeout(30_000)

const LEDGER_MODULE = join(import.meta.dir, '..', 'testing', 'ledger-actor-fixture.ts')
const CAPACITY = 1024
const HEARTBEAT_MS = 50
const hosts = inProcessHosts()
const rogues: RoguePeer[] = []

afterEach(async () => {
  for (const rogue of rogues.splice(0)) rogue.stop()
  await hosts.stop()
})

type Logged = { host: string; event: string; data: Record<string, unknown> }

/** The three hosts and mallory, joined, with the ledger running on edge-1. */
async function domainWithRogue(answerFetch?: (actor: string) => unknown) {
  const files = await hosts.files('vigil-snapsign-', [
    { id: 'fog-1', role: 'fog' },
    { id: 'edge-1', role: 'edge' },
    { id: 'edge-2', role: 'edge' },
    { id: 'mallory', role: 'fog' },
  ])
  const logs: Logged[] = []
  const start = (id: string, role: 'fog' | 'edge', seeds: string[]) =>
    hosts.start(files, {
      id,
      role,
      config: {
        seeds,
        heartbeatIntervalMs: HEARTBEAT_MS,
        suspicionTimeoutMs: 2000,
        actors: [
          {
            name: 'ledger',
            module: LEDGER_MODULE,
            export: 'ledgerActor',
            args: { capacity: CAPACITY },
            placement: { role: 'edge', fallback: 'none' },
          },
        ],
      },
      log: (event, data = {}) => logs.push({ host: id, event, data }),
    })
  const fog = await start('fog-1', 'fog', [])
  const edge1 = await start('edge-1', 'edge', [fog.info.rpc])
  const edge2 = await start('edge-2', 'edge', [fog.info.rpc])
  const mallory = await startRoguePeer({
    ...{ hostId: 'mallory', role: 'fog', keyFile: files.keyFile('mallory') },
    ...{ enrollmentFile: files.enrollmentFile, adminPublicKey: files.adminPublicKey },
    heartbeatIntervalMs: HEARTBEAT_MS,
    answerFetch,
  })
  rogues.push(mallory)
  for (const host of [fog, edge1, edge2]) await mallory.join(host.info.rpc)
  await waitFor(
    () =>
      [fog, edge1, edge2].every(
        (host) => host.isReady() && host.membership.get('mallory')?.status === 'alive',
      ) && edge1.system.has('ledger'),
    { message: 'three hosts and mallory joined, the ledger on edge-1' },
  )
  return { fog, edge1, edge2, mallory, logs, start }
}

/** Applies ids 1…n through edge-1 (each answered only once edge-2 stored the replica). */
async function applyThrough(host: Host, n: number): Promise<void> {
  for (let id = 1; id <= n; id++) await host.ref('ledger').ask('ledger.apply', { id })
}

/** A ledger state no honest host ever had: every id applied. */
function forgedState(): LedgerState {
  return { bits: new Uint8Array(CAPACITY / 8).fill(255), applied: CAPACITY, duplicates: 0 }
}

/** Mallory's forgeries of the ledger's snapshot, at a seq far above the real one. */
function forgeries(mallory: RoguePeer) {
  const ownSigned = mallory.seal.seal({
    ...{ actor: 'ledger', kind: 'fault-ledger', version: 1 },
    ...{ seq: 1_000_000, state: forgedState() },
  })
  // The same bytes claimed as edge-1's: the signature is mallory's, not edge-1's.
  const claimedAsOwner: SignedSnapshot = { ...ownSigned, signer: 'edge-1' }
  return { ownSigned, claimedAsOwner }
}

/** edge-1 leaves; edge-2 takes the ledger and answers with the state it resumed from. */
async function handOffToEdge2(edge1: Host, edge2: Host) {
  await hosts.leave(edge1)
  await waitFor(() => edge2.system.has('ledger'), { message: 'the ledger placed on edge-2' })
  return (await edge2.ref('ledger').ask('ledger.read', {})) as { applied: number }
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  )
}

describe('signed snapshot replicas', () => {
  test("a peer that stores a forged snapshot of an actor it does not own is refused, and the owner's state survives", async () => {
    const { fog, edge1, edge2, mallory, logs } = await domainWithRogue()
    await applyThrough(edge1, 20)
    const { ownSigned, claimedAsOwner } = forgeries(mallory)
    for (const target of ['edge-2', 'fog-1']) {
      expect(await codeOf(mallory.request(target, 'actor.snapshot', ownSigned))).toBe(
        'SNAPSHOT_SIGNER_NOT_OWNER',
      )
      expect(await codeOf(mallory.request(target, 'actor.snapshot', claimedAsOwner))).toBe(
        'SNAPSHOT_SIGNATURE_INVALID',
      )
    }
    const refusedCounts = {
      SNAPSHOT_SIGNER_NOT_OWNER: 1,
      SNAPSHOT_SIGNATURE_INVALID: 1,
    }
    expect(edge2.status().snapshotsRefused).toEqual(refusedCounts)
    expect(fog.status().snapshotsRefused).toEqual(refusedCounts)
    // Logged with the header only, never the state.
    const refusals = logs.filter((entry) => entry.event === 'host.snapshot_refused')
    expect(refusals).toHaveLength(4)
    expect(refusals.every((entry) => !('state' in entry.data) && entry.data.op === 'store')).toBe(
      true,
    )
    expect((await handOffToEdge2(edge1, edge2)).applied).toBe(20)
  })

  test.each([
    ['a bad signature', 'claimedAsOwner', 'SNAPSHOT_SIGNATURE_INVALID'],
    [
      'a valid signature by a host that never owned the actor',
      'ownSigned',
      'SNAPSHOT_SIGNER_NOT_OWNER',
    ],
  ] as const)(
    'a fetch answer with a forged higher seq and %s is ignored, and the actor resumes from the legitimate replica',
    async (_why, forgery, code) => {
      let answer: SignedSnapshot | undefined
      const { edge1, edge2, mallory, logs } = await domainWithRogue(() => answer ?? null)
      answer = forgeries(mallory)[forgery]
      await applyThrough(edge1, 20)
      expect((await handOffToEdge2(edge1, edge2)).applied).toBe(20)
      // Mallory was asked, and its answer was refused on edge-2.
      expect(mallory.fetches).toContain('ledger')
      expect(edge2.status().snapshotsRefused).toEqual({ [code]: 1 })
      const refused = logs.find(
        (entry) => entry.event === 'host.snapshot_refused' && entry.host === 'edge-2',
      )
      expect(refused?.data).toMatchObject({ op: 'restore', from: 'mallory', seq: 1_000_000 })
    },
  )

  test("a host that rejoins and takes its actor back resumes from the interim owner's signed snapshot", async () => {
    const { fog, edge1, edge2, start } = await domainWithRogue()
    await applyThrough(edge1, 20)
    expect((await handOffToEdge2(edge1, edge2)).applied).toBe(20)
    await edge2.ref('ledger').ask('ledger.apply', { id: 21 })
    // The placement gives the ledger back to edge-1 (ties go to the smaller id).
    const back = await start('edge-1', 'edge', [fog.info.rpc])
    await waitFor(() => back.system.has('ledger'), { message: 'the ledger back on edge-1' })
    const read = (await back.ref('ledger').ask('ledger.read', {})) as { applied: number }
    expect(read.applied).toBe(21)
    expect(back.status().snapshotsRefused).toEqual({})
    expect(edge2.status().snapshotsRefused).toEqual({})
  })
})
