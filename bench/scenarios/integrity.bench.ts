/**
 * `bun run bench integrity [--json] [--validators 4] [--edges 4] [--call 4000] [--seconds 10]
 *  [--simulate-serialization 1]`:
 * the data integrity service end to end on a CometBFT localnet, in real
 * workers. Each edge host (an integrity actor and its own ledger actor,
 * signing with one of the localnet's enrolled keys) records calls of
 * `--call` records in a closed loop; each answered call is ingested at the
 * fog (fog-db actor, SQLite) with full verification. Figures: records/s from
 * `integrity.record` to verified rows, p50/p99 latency from the record call to
 * its verified row, the audit rate of `integrity.audit` over everything
 * stored, and SQLite vs PostgreSQL ingest rows/s (verification included, the
 * ledger confirmation from an in-memory ledger) in the same run.
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type FogStore, ingestBatch, openFogStore } from '../../actors/fog-db/index.ts'
import { sampleRecords, startTestPostgres } from '../../actors/fog-db/testing/index.ts'
import { batchSignerFrom, recordRecords } from '../../actors/integrity/index.ts'
import { createMemoryIntegrityLedger } from '../../actors/integrity/testing/index.ts'
import { type Localnet, startLocalnet } from '../../ledger/index.ts'
import { createActorSystem } from '../../runtime/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { percentile, round } from '../harness/stats.ts'

const moduleOf = (path: string, name: string) => ({
  module: new URL(path, import.meta.url).href,
  export: name,
})

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? Number(args[at + 1]) : fallback
}

/** Ingest rows/s of one store: `batches` verified batches of `size` records. */
async function ingestRate(store: FogStore, batches: number, size: number): Promise<number> {
  const ledger = createMemoryIntegrityLedger()
  const signer = batchSignerFrom(generateKeyPairSync('ed25519').privateKey)
  const prepared = []
  for (let b = 0; b < batches; b++) {
    const records = sampleRecords(size, b + 1, `ing${b}`)
    const { receipts, batch } = await recordRecords({ ledger, signer, hostId: 'edge-1' }, records)
    prepared.push({
      batch,
      entries: records.map((record, i) => ({
        record,
        receipt: receipts[i] as (typeof receipts)[number],
      })),
    })
  }
  const deps = {
    store,
    ledger,
    hostOfKey: async () => ({ hostId: 'edge-1', registered: true }),
    nowMs: () => Date.now(),
  }
  const started = performance.now()
  for (const batch of prepared) await ingestBatch(deps, batch)
  return (batches * size) / ((performance.now() - started) / 1000)
}

type System = ReturnType<typeof createActorSystem>
type Log = (line: string) => void

/** The pipeline: an identity fixture, fog-db and its ledger actor, one ledger and integrity actor per edge. */
async function spawnPipeline(system: System, net: Localnet, dir: string, edges: number) {
  const hosts = []
  for (let e = 0; e < edges; e++) {
    const { privateKey } = generateKeyPairSync('ed25519')
    const path = join(dir, `edge-${e}.pem`)
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
    hosts.push({ hostId: `edge-${e}`, path, publicKey: batchSignerFrom(privateKey).publicKey })
  }
  await system.spawn(
    'identity',
    moduleOf('../../actors/identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
    {
      args: {
        hosts: hosts.map((h) => ({
          publicKey: h.publicKey,
          hostId: h.hostId,
          registered: true,
        })),
      },
    },
  )
  await system.spawn('fog-db', moduleOf('../../actors/fog-db/fog-db-actor.ts', 'fogDbActor'), {
    args: { databaseFile: join(dir, 'fog.sqlite'), ledgerActor: 'ledger-fog' },
  })
  // The fog host's own ledger actor: its confirmations never queue behind an edge's commits.
  await system.spawn(
    'ledger-fog',
    moduleOf('../../ledger/cometbft/cometbft-ledger-actor.ts', 'cometbftLedgerActor'),
    {
      args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0] },
    },
  )
  for (const [e, host] of hosts.entries()) {
    await system.spawn(
      `ledger-${e}`,
      moduleOf('../../ledger/cometbft/cometbft-ledger-actor.ts', 'cometbftLedgerActor'),
      {
        args: {
          rpcUrls: net.rpcUrls,
          signerKeyFile: net.keyFiles.nodes[e % net.keyFiles.nodes.length],
          flushIntervalMs: 5,
        },
      },
    )
    await system.spawn(
      `integrity-${e}`,
      moduleOf('../../actors/integrity/integrity-actor.ts', 'integrityActor'),
      {
        args: { hostId: host.hostId, signingKeyPath: host.path, ledgerActor: `ledger-${e}` },
      },
    )
  }
  await system.spawn(
    'integrity-fog',
    moduleOf('../../actors/integrity/integrity-actor.ts', 'integrityActor'),
    { args: { hostId: 'fog-1', ledgerActor: 'ledger-fog' } },
  )
  return hosts
}

/** Every edge records calls of `callSize` records until `seconds` pass; fog-db ingests each. */
async function measureEndToEnd(
  log: Log,
  system: System,
  edges: number,
  callSize: number,
  seconds: number,
) {
  const hosts = Array.from({ length: edges })
  const latencies: number[] = []
  const recordLatencies: number[] = []
  let verified = 0
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  async function edgeLoop(e: number) {
    const ingests: Promise<void>[] = []
    for (let call = 0; performance.now() < deadline; call++) {
      const records = sampleRecords(callSize, e * 1000 + call, `e${e}c${call}`)
      const sent = performance.now()
      const recorded = (await system.ask(
        `integrity-${e}`,
        'integrity.record',
        { records },
        { timeoutMs: 120_000 },
      )) as {
        receipts: unknown[]
        batch: unknown
      }
      recordLatencies.push(performance.now() - sent)
      const entries = records.map((record, i) => ({ record, receipt: recorded.receipts[i] }))
      ingests.push(
        (
          system.ask(
            'fog-db',
            'fogdb.ingest',
            { batch: recorded.batch, entries },
            { timeoutMs: 120_000 },
          ) as Promise<{ records: number }>
        ).then((reply) => {
          verified += reply.records
          latencies.push(performance.now() - sent)
        }),
      )
    }
    await Promise.all(ingests)
  }
  await Promise.all(hosts.map((_, e) => edgeLoop(e)))
  const elapsed = (performance.now() - started) / 1000
  const recordsPerS = verified / elapsed
  log(
    `end to end: ${verified} verified rows in ${round(elapsed, 1)} s = ${Math.round(recordsPerS)} records/s`,
  )
  log(
    `integrity.record alone (committed, receipts): p50 ${round(percentile(recordLatencies, 50), 0)} ms`,
  )
  log(
    `record → verified row: p50 ${round(percentile(latencies, 50), 0)} ms, p99 ${round(percentile(latencies, 99), 0)} ms (per call of ${callSize})`,
  )
  return { recordsPerS, latencies }
}

/** The fog's audit of every ingested row, in rows/s. */
async function measureAudit(log: Log, system: System): Promise<number> {
  const audit = (await system.ask(
    'integrity-fog',
    'integrity.audit',
    {},
    { timeoutMs: 300_000 },
  )) as {
    checked: number
    intact: number
    durationMs: number
    materialMs: number
    batchesConfirmed: number
  }
  const auditRate = audit.checked / (audit.durationMs / 1000)
  log(
    `audit: ${audit.checked} rows (${audit.intact} intact, ${audit.batchesConfirmed} ledger batches) in ${round(audit.durationMs, 0)} ms (reading them from fog-db ${round(audit.materialMs, 0)} ms) = ${Math.round(auditRate)} rows/s`,
  )
  return auditRate
}

/** Verify-and-store rows/s of SQLite and PostgreSQL, 2,000-record batches. */
async function storeIngestRates(log: Log, dir: string) {
  const sqliteStore = await openFogStore({ file: join(dir, 'ingest.sqlite') })
  const sqliteRate = await ingestRate(sqliteStore, 10, 2000)
  await sqliteStore.close()
  const pg = startTestPostgres()
  let postgresRate: number
  try {
    const pgStore = await openFogStore({ url: pg.url })
    postgresRate = await ingestRate(pgStore, 10, 2000)
    await pgStore.close()
  } finally {
    pg.stop()
  }
  log(
    `ingest (verify + store, 2,000-record batches): SQLite ${Math.round(sqliteRate)} rows/s, PostgreSQL ${Math.round(postgresRate)} rows/s`,
  )
  return { sqliteRate, postgresRate }
}

export const scenario: BenchScenario = {
  name: 'integrity',
  description:
    'integrity.record → CometBFT receipts → verified rows in the fog database; audit; SQLite vs PostgreSQL ingest',
  async run({ log, args }) {
    const validators = option(args, 'validators', 4)
    const edges = option(args, 'edges', 4)
    const callSize = option(args, 'call', 4000)
    const seconds = option(args, 'seconds', 10)
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-integrity-'))
    const net = await startLocalnet({ validators })
    // 1 (the kernel's default) passes every message through msgpack, as between hosts.
    const simulateSerialization = option(args, 'simulate-serialization', 1) === 1
    const system = createActorSystem({
      config: { simulateSerialization },
      actorCaller: (actor) => ({
        id: `host:${actor.replace(/^(integrity|ledger)-/, 'edge-')}`,
        claims: { actor },
      }),
    })
    try {
      await spawnPipeline(system, net, dir, edges)
      log(
        `# ${validators} validators, ${edges} edge hosts, ${callSize} records per call, ${seconds} s`,
      )
      const { recordsPerS, latencies } = await measureEndToEnd(
        log,
        system,
        edges,
        callSize,
        seconds,
      )
      const auditRate = await measureAudit(log, system)
      await system.shutdown({ deadlineMs: 5_000 })
      await net.stop()
      const { sqliteRate, postgresRate } = await storeIngestRates(log, dir)
      return {
        integrity_records_per_s: Math.round(recordsPerS),
        record_to_verified_p50_ms: round(percentile(latencies, 50), 1),
        record_to_verified_p99_ms: round(percentile(latencies, 99), 1),
        audit_rows_per_s: Math.round(auditRate),
        sqlite_ingest_rows_per_s: Math.round(sqliteRate),
        postgres_ingest_rows_per_s: Math.round(postgresRate),
        validators,
        edges,
        records_per_call: callSize,
      }
    } finally {
      await system.shutdown({ deadlineMs: 2_000 }).catch(() => {})
      await net.stop().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
