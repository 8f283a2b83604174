/**
 * The data integrity service end to end on a real CometBFT localnet, in real
 * workers: edge `integrity.record` → ledger actor → receipts → fog
 * `fogdb.ingest` (verified against the identity stand-in and the ledger) →
 * rows in SQLite; `integrity.verify` names flipped parts against the chain
 * and checks batch roots anchored on a real anvil chain (Ethereum ledger
 * actor); `integrity.audit` finds rows edited behind the database actor's back.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openFogStore } from '../actors/fog-db/index.ts'
import { sampleRecords } from '../actors/fog-db/testing/index.ts'
import {
  type IntegrityReceipt,
  receiptsOfCall,
  type SignedBatch,
} from '../actors/integrity/index.ts'
import { writeHostKeyFile } from '../actors/integrity/testing/index.ts'
import { createTestChain, type TestChain } from '../ledger/ethereum/testing/index.ts'
import type { CompactReceipts, Receipt } from '../ledger/index.ts'
import { createVigilContracts, domainId, type Localnet, startLocalnet } from '../ledger/index.ts'
import { type ActorSystem, createActorSystem } from '../runtime/index.ts'

setDefaultTimeout(120_000)

const moduleOf = (path: string, name: string) => ({
  module: new URL(path, import.meta.url).href,
  export: name,
})

type Recorded = { proof: CompactReceipts; batch: SignedBatch }

describe('integrity service on a CometBFT localnet', () => {
  let net: Localnet
  let chain: TestChain
  let system: ActorSystem
  let dir: string
  let fogFile: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-integrity-'))
    fogFile = join(dir, 'fog.sqlite')
    const edge = writeHostKeyFile(dir, 'edge-1')
    const stranger = writeHostKeyFile(dir, 'edge-2')
    net = await startLocalnet({ validators: 1 })
    system = createActorSystem({
      config: { simulateSerialization: true },
      actorCaller: (actor) => ({
        id: `host:${actor === 'integrity-2' ? 'edge-2' : 'edge-1'}`,
        claims: { actor },
      }),
    })
    await system.spawn(
      'ledger',
      moduleOf('../ledger/cometbft/cometbft-ledger-actor.ts', 'cometbftLedgerActor'),
      {
        args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0], flushIntervalMs: 5 },
      },
    )
    await system.spawn(
      'identity',
      moduleOf('../actors/identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
      {
        args: { hosts: [{ publicKey: edge.publicKey, hostId: 'edge-1', registered: true }] },
      },
    )
    await system.spawn('fog-db', moduleOf('../actors/fog-db/fog-db-actor.ts', 'fogDbActor'), {
      args: { databaseFile: fogFile },
    })
    await system.spawn(
      'integrity',
      moduleOf('../actors/integrity/integrity-actor.ts', 'integrityActor'),
      {
        args: { hostId: 'edge-1', signingKeyPath: edge.path },
      },
    )
    // Ethereum: a real anvil chain; the Ethereum ledger actor's account anchors this domain.
    chain = await createTestChain()
    const anchorer = await chain.newAccount()
    await createVigilContracts(chain.admin.clients, chain.addresses).anchor.write('grantAnchorer', [
      domainId(net.chainId),
      anchorer.address,
    ])
    await system.spawn(
      'ethereum-ledger',
      moduleOf('../ledger/ethereum/ethereum-ledger-actor.ts', 'ethereumLedgerActor'),
      {
        args: {
          chainId: chain.anvil.chainId,
          rpcUrl: chain.anvil.rpcUrl,
          keyFile: anchorer.keyFile,
          addresses: chain.addresses,
          pollingIntervalMs: 20,
        },
      },
    )
    await system.spawn(
      'integrity-anchored',
      moduleOf('../actors/integrity/integrity-actor.ts', 'integrityActor'),
      { args: { hostId: 'edge-1', signingKeyPath: edge.path, ethereumActor: 'ethereum-ledger' } },
    )
    await system.spawn(
      'integrity-forwarding',
      moduleOf('../actors/integrity/integrity-actor.ts', 'integrityActor'),
      { args: { hostId: 'edge-1', signingKeyPath: edge.path, forwardTo: 'fog-db' } },
    )
    await system.spawn(
      'integrity-2',
      moduleOf('../actors/integrity/integrity-actor.ts', 'integrityActor'),
      {
        args: { hostId: 'edge-2', signingKeyPath: stranger.path },
      },
    )
  })
  afterAll(async () => {
    await system?.shutdown({ deadlineMs: 5_000 })
    await net?.stop()
    await chain?.[Symbol.asyncDispose]()
    rmSync(dir, { recursive: true, force: true })
  })

  async function recordAndIngest(count: number, prefix: string, actor = 'integrity') {
    const records = sampleRecords(count, count, prefix)
    const recorded = (await system.ask(
      actor,
      'integrity.record',
      { records },
      { timeoutMs: 60_000 },
    )) as Recorded
    return {
      records,
      recorded,
      receipts: receiptsOfCall(
        actor === 'integrity' ? 'edge-1' : 'edge-2',
        records,
        recorded.proof,
      ),
      ingest: () =>
        system.ask(
          'fog-db',
          'fogdb.ingest',
          { batch: recorded.batch, records, proof: recorded.proof },
          { timeoutMs: 60_000 },
        ),
    }
  }

  test('records a batch with receipts and stores it at fog once, however often it is delivered', async () => {
    const { records, receipts, ingest } = await recordAndIngest(400, 'e2e')
    expect(receipts).toHaveLength(400)
    // One ledger entry for the whole call: the root of the tree over the records' leaves.
    expect(receipts[0]?.ledger.record.key).toBe(`integrity:edge-1/call/${receipts[0]?.call.root}`)
    expect(new Set(receipts.map((r) => r.ledger.record.key)).size).toBe(1)
    expect(receipts[399]?.call).toMatchObject({ index: 399, size: 400 })
    expect(records).toHaveLength(400)
    expect(await ingest()).toEqual({ stored: 400, records: 400 })
    expect(await ingest()).toEqual({ stored: 0, records: 400 })
  })

  test('names the flipped call path, root or height of a receipt against the chain, and verifies a stored receipt', async () => {
    const { records, receipts, ingest } = await recordAndIngest(20, 'verify')
    const record = records[7]
    const receipt = receipts[7] as IntegrityReceipt
    const flip = (hex: string) => `${hex[0] === '0' ? '1' : '0'}${hex.slice(1)}`
    const verify = (r?: IntegrityReceipt, actor = 'integrity') =>
      system.ask(actor, 'integrity.verify', { record, ...(r ? { receipt: r } : {}) }) as Promise<{
        valid: boolean
        part?: string
      }>
    const withLedger = (ledger: Receipt) => ({ ...receipt, ledger })
    expect(await verify(receipt)).toMatchObject({ valid: true })
    // Without a receipt: the recording actor's private store has it.
    expect(await verify()).toMatchObject({ valid: true })
    expect(
      await verify({
        ...receipt,
        call: { ...receipt.call, path: receipt.call.path.map((n, i) => (i === 0 ? flip(n) : n)) },
      }),
    ).toMatchObject({ valid: false, part: 'call' })
    expect(
      await verify(withLedger({ ...receipt.ledger, batchRoot: flip(receipt.ledger.batchRoot) })),
    ).toMatchObject({ valid: false, part: 'root' })
    expect(
      await verify(withLedger({ ...receipt.ledger, height: receipt.ledger.height ^ 1 })),
    ).toMatchObject({ valid: false, part: 'height' })
    await ingest()
    // An integrity actor that did not record it finds the receipt at the fog database.
    expect(await verify(undefined, 'integrity-anchored')).toMatchObject({ valid: true })
  })

  test('checks the Ethereum anchor of an anchored batch root and names it when it differs', async () => {
    const { records, receipts } = await recordAndIngest(10, 'anchored')
    const { records: others, receipts: otherReceipts } = await recordAndIngest(10, 'misanchored')
    const verify = (record: unknown, receipt: IntegrityReceipt) =>
      system.ask('integrity-anchored', 'integrity.verify', { record, receipt }) as Promise<{
        valid: boolean
        part?: string
        anchor?: string
      }>
    const full = receipts[3] as IntegrityReceipt
    const receipt = full.ledger
    expect(await verify(records[3], full)).toMatchObject({ valid: true, anchor: 'not-anchored' })
    const anchor = (r: Receipt, root: string) =>
      system.ask('ethereum-ledger', 'eth.anchor', {
        domain: r.chainId,
        height: r.height,
        batchId: r.batchId,
        root,
        treeSize: r.treeSize,
      })
    await anchor(receipt, receipt.batchRoot)
    expect(await verify(records[3], full)).toMatchObject({ valid: true, anchor: 'verified' })
    // Another batch anchored under a root that is not its own: the intra-domain ledger agrees
    // with the receipt, Ethereum does not.
    const other = otherReceipts[2] as IntegrityReceipt
    await anchor(other.ledger, receipt.batchRoot)
    expect(await verify(others[2], other)).toMatchObject({ valid: false, part: 'anchor' })
  })

  test('forwards each committed call to the fog ingest when configured, and reports what it stored', async () => {
    const records = sampleRecords(120, 5, 'forwarded')
    const recorded = (await system.ask('integrity-forwarding', 'integrity.record', {
      records,
    })) as {
      forwarded?: { to: string; stored?: number }
    }
    expect(recorded.forwarded).toEqual({ to: 'fog-db', stored: 120 })
    const alerts = records.filter((r) => r.table === 'alerts').map((r) => r.id)
    const { rows } = (await system.ask('fog-db', 'fogdb.query', {
      table: 'alerts',
      limit: 10_000,
    })) as { rows: { id: string }[] }
    expect(alerts.every((id) => rows.some((row) => row.id === id))).toBe(true)
  })

  test('refuses a batch signed by an unregistered host and stores nothing of it', async () => {
    const { ingest } = await recordAndIngest(30, 'stranger', 'integrity-2')
    await expect(ingest()).rejects.toMatchObject({
      code: 'FOG_BATCH_REFUSED',
      meta: { part: 'signer' },
    })
    const audit = (await system.ask('integrity', 'integrity.audit', { hostId: 'edge-2' })) as {
      checked: number
    }
    expect(audit.checked).toBe(0)
  })

  test('audit reports rows edited, deleted and inserted behind the fog database', async () => {
    const { records, ingest } = await recordAndIngest(300, 'audit')
    await ingest()
    const [a, b] = records.filter((r) => r.table === 'detections')
    const [c] = records.filter((r) => r.table === 'alerts')
    const tamperer = await openFogStore({ file: fogFile })
    await tamperer.execute(
      `UPDATE detections SET confidence = confidence + 0.25 WHERE id = '${a?.id}'`,
    )
    await tamperer.execute(`DELETE FROM detections WHERE id = '${b?.id}'`)
    await tamperer.execute(
      `INSERT INTO alerts SELECT host_id, id || '-forged', camera_id, track_id, ts_ms, kind, severity, decision FROM alerts WHERE id = '${c?.id}'`,
    )
    await tamperer.close()
    const report = (await system.ask(
      'integrity',
      'integrity.audit',
      {},
      { timeoutMs: 60_000 },
    )) as {
      tampered: { id: string; part: string }[]
      missing: { id: string }[]
      unrecorded: { id: string }[]
      intact: number
    }
    expect({
      tampered: report.tampered.map((r) => [r.id, r.part]),
      missing: report.missing.map((r) => r.id),
      unrecorded: report.unrecorded.map((r) => r.id),
    }).toEqual({
      tampered: [[a?.id as string, 'record']],
      missing: [b?.id as string],
      unrecorded: [`${c?.id}-forged`],
    })
    // 400 + 120 + 300 rows ingested above, 20 by the verify test; two touched.
    expect(report.intact).toBe(400 + 120 + 300 + 20 - 2)
  })
})
