/**
 * `bun run bench integrity [--json] [--validators 4] [--edges 4] [--call 2000] [--seconds 10]
 *  [--inflight 2] [--lanes 2] [--rate 0] [--simulate-serialization 1] [--verifiers 2] [--commit-ms 0]
 *  [--gossip-ms 10] [--warmup-seconds 3] [--store-priority high]`:
 * the data integrity service end to end on a CometBFT localnet, in real
 * workers. Each edge host (an integrity actor and its own ledger actor,
 * signing with one of the localnet's enrolled keys) records calls of
 * `--call` records (handed over as one `recordsJson` text); each answered call (records, signature, compact receipts)
 * is ingested at the fog with full verification — by `--verifiers` fog-verifier
 * replicas in turn, which hand verified calls to the one fog-db actor (SQLite)
 * that writes (0: the fog-db verifies and writes itself) —, at most
 * `--inflight` ingests outstanding per lane (the lane waits past that: bounded
 * queues, so latency is not queue growth). `--lanes` is how many `integrity.record` calls each
 * edge keeps in flight (one lane a producing service; the ingest limit is per lane; default 2: with
 * one, an edge's actors sleep while its call commits and wake for every call). Phase 1, closed loop: the most
 * records/s from `integrity.record` to verified rows. Phase 2, open loop: calls
 * offered at `--rate` records/s in all (default half of phase 1's), latency
 * from each call's scheduled send to its verified rows (p50/p99). Then the
 * audit rate of `integrity.audit` over everything stored, the per-stage costs
 * in one process (hash, sign, proof check, insert), and SQLite vs PostgreSQL
 * ingest rows/s (verification included, ledger confirmation from an
 * in-memory ledger). `--commit-ms` is the validators' timeout_commit (0: the
 * localnet's default, the next block as soon as transactions wait); `--gossip-ms` their
 * peer_gossip_sleep_duration. `--warmup-seconds`: the closed loop's load for that long first,
 * not counted (the 14 actor workers' JIT compiles their hot code then, not in the measured window).
 * `--store-priority` is the fog-db worker thread's priority (high | normal | low; the domain's
 * `npm start` runs it high: the one writer every verifier waits on).
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type FogStore,
  ingestBatch,
  openFogStore,
  type VerifiedBatch,
} from '../../actors/fog-db/index.ts'
import { sampleRecords, startTestPostgres } from '../../actors/fog-db/testing/index.ts'
import {
  batchDigest,
  batchSignerFrom,
  checkCallProof,
  type IntegrityRecord,
  type RecordRecordsResult,
  recordHash,
  recordRecords,
} from '../../actors/integrity/index.ts'
import { createMemoryIntegrityLedger } from '../../actors/integrity/testing/index.ts'
import { type Localnet, startLocalnet } from '../../ledger/index.ts'
import {
  type ActorSystem,
  createActorSystem,
  THREAD_PRIORITIES,
  type ThreadPriority,
} from '../../runtime/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { cpuSeconds } from '../harness/process-usage.ts'
import { percentile, round } from '../harness/stats.ts'

const moduleOf = (path: string, name: string) => ({
  module: new URL(path, import.meta.url).href,
  export: name,
})

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? Number(args[at + 1]) : fallback
}

type Prepared = { records: IntegrityRecord[]; result: RecordRecordsResult }

async function prepareCalls(batches: number, size: number) {
  const ledger = createMemoryIntegrityLedger()
  const signer = batchSignerFrom(generateKeyPairSync('ed25519').privateKey)
  const prepared: Prepared[] = []
  for (let b = 0; b < batches; b++) {
    const records = sampleRecords(size, b + 1, `ing${b}`)
    prepared.push({
      records,
      result: await recordRecords({ ledger, signer, hostId: 'edge-1' }, records),
    })
  }
  return { ledger, signer, prepared }
}

/** Ingest rows/s of one store: `batches` verified calls of `size` records. */
async function ingestRate(store: FogStore, batches: number, size: number): Promise<number> {
  const { ledger, prepared } = await prepareCalls(batches, size)
  const deps = {
    store,
    ledger,
    hostOfKey: async () => ({ hostId: 'edge-1', registered: true }),
    nowMs: () => Date.now(),
  }
  const started = performance.now()
  for (const { records, result } of prepared) {
    await ingestBatch(deps, { batch: result.batch, records, proof: result.proof })
  }
  return (batches * size) / ((performance.now() - started) / 1000)
}

/** µs per record of each stage, in one process (no workers, no chain). */
async function stageCosts(dir: string) {
  const size = 4000
  const { ledger, signer, prepared } = await prepareCalls(4, size)
  const perRecord = (ms: number) => round((ms * 1000) / (prepared.length * size), 2)
  const time = (work: (p: Prepared) => unknown) => {
    const started = performance.now()
    for (const p of prepared) work(p)
    return performance.now() - started
  }
  const hashes = prepared.map((p) => p.records.map((r) => recordHash(r, 'edge-1')))
  const hashMs = time((p) => p.records.map((r) => recordHash(r, 'edge-1')))
  const signMs = time((p) => signer.sign(batchDigest('edge-1', hashes[prepared.indexOf(p)] ?? [])))
  const proofMs = time((p) =>
    checkCallProof('edge-1', p.records, hashes[prepared.indexOf(p)] ?? [], p.result.proof),
  )
  // Ingest's verification alone (a store that keeps what it is given), then the inserts alone.
  const verified: VerifiedBatch[] = []
  const keeper = {
    storeBatch: async (b: VerifiedBatch) => {
      verified.push(b)
      return { stored: 0 }
    },
  }
  const deps = {
    store: keeper as unknown as FogStore,
    ledger,
    hostOfKey: async () => ({ hostId: 'edge-1', registered: true }),
    nowMs: () => 1,
  }
  let started = performance.now()
  for (const p of prepared) {
    await ingestBatch(deps, { batch: p.result.batch, records: p.records, proof: p.result.proof })
  }
  const verifyMs = performance.now() - started
  const store = await openFogStore({ file: join(dir, 'stages.sqlite') })
  started = performance.now()
  for (const batch of verified) await store.storeBatch(batch, 1)
  const insertMs = performance.now() - started
  await store.close()
  return {
    hash_us: perRecord(hashMs),
    sign_per_call_us: round((signMs * 1000) / prepared.length, 1),
    proof_check_us: perRecord(proofMs),
    ingest_verify_us: perRecord(verifyMs),
    sqlite_insert_us: perRecord(insertMs),
  }
}

type Host = { hostId: string; path: string; publicKey: string }

type Fog = { readonly verifiers: string[]; readonly storePriority: ThreadPriority }

async function spawnAll(system: ActorSystem, net: Localnet, hosts: Host[], dir: string, fog: Fog) {
  const { verifiers } = fog
  await system.spawn(
    'identity',
    moduleOf('../../actors/identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
    {
      args: {
        hosts: hosts.map((h) => ({ publicKey: h.publicKey, hostId: h.hostId, registered: true })),
      },
    },
  )
  const databaseFile = join(dir, 'fog.sqlite')
  await system.spawn('fog-db', moduleOf('../../actors/fog-db/fog-db-actor.ts', 'fogDbActor'), {
    args: { databaseFile, ledgerActor: 'ledger-fog', verifiers },
    priority: fog.storePriority,
  })
  const verifier = moduleOf('../../actors/fog-db/fog-verifier-actor.ts', 'fogVerifierActor')
  for (const name of verifiers) {
    await system.spawn(name, verifier, { args: { databaseFile, ledgerActor: 'ledger-fog' } })
  }
  const ledger = moduleOf('../../ledger/cometbft/cometbft-ledger-actor.ts', 'cometbftLedgerActor')
  // The fog host's own ledger actor: its confirmations never queue behind an edge's commits.
  await system.spawn('ledger-fog', ledger, {
    args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0] },
  })
  const integrity = moduleOf('../../actors/integrity/integrity-actor.ts', 'integrityActor')
  for (const [e, host] of hosts.entries()) {
    await system.spawn(`ledger-${e}`, ledger, {
      args: {
        rpcUrls: net.rpcUrls,
        signerKeyFile: net.keyFiles.nodes[e % net.keyFiles.nodes.length],
        flushIntervalMs: 5,
      },
    })
    await system.spawn(`integrity-${e}`, integrity, {
      args: { hostId: host.hostId, signingKeyPath: host.path, ledgerActor: `ledger-${e}` },
    })
  }
  await system.spawn('integrity-fog', integrity, {
    args: { hostId: 'fog-1', ledgerActor: 'ledger-fog' },
  })
}

type Phase = {
  readonly callSize: number
  readonly seconds: number
  readonly inflight: number
  /** Offered records/s over all edges; 0 = closed loop (as fast as answered). */
  readonly rate: number
  /** `integrity.record` calls each edge keeps in flight (its producing services' lanes). */
  readonly lanes: number
  readonly tag: string
  /** Where the edges send their calls: the fog-db itself, or its verifier replicas in turn. */
  readonly ingestAt: readonly string[]
}

/** CPU seconds so far of this process (every worker) and of the localnet's validators and apps. */
function cpuMeter(net: Localnet) {
  const pids = net.pids()
  return () => {
    const own = process.cpuUsage()
    const others = [...pids.validators, ...pids.apps].reduce((sum, pid) => sum + cpuSeconds(pid), 0)
    return { own: (own.user + own.system) / 1e6, localnet: others }
  }
}

type PhaseResult = {
  verified: number
  elapsedS: number
  latencies: number[]
  recordMs: number[]
  ingestMs: number[]
}

/** Runs every edge for one phase; latency is from each call's (scheduled) send to its rows. */
async function runPhase(system: ActorSystem, edges: number, phase: Phase): Promise<PhaseResult> {
  const result: PhaseResult = {
    verified: 0,
    elapsedS: 0,
    latencies: [],
    recordMs: [],
    ingestMs: [],
  }
  const started = performance.now()
  const deadline = started + phase.seconds * 1000
  const lanes = edges * phase.lanes
  const interval = phase.rate > 0 ? (phase.callSize * lanes * 1000) / phase.rate : 0
  // Lane `lane` is one stream of calls into edge `lane % edges`; each lane waits for its own
  // answers, so an edge has `phase.lanes` calls in flight.
  async function laneLoop(lane: number) {
    const e = lane % edges
    const inflight = new Set<Promise<void>>()
    for (let call = 0; ; call++) {
      const scheduled = started + (lane * interval) / lanes + call * interval
      if (scheduled >= deadline || performance.now() >= deadline) break
      const wait = scheduled - performance.now()
      if (wait > 0) await Bun.sleep(wait)
      const sent = interval > 0 ? scheduled : performance.now()
      const records = sampleRecords(
        phase.callSize,
        lane * 100_000 + call,
        `${phase.tag}l${lane}c${call}`,
      )
      // The producing service hands its records over as one JSON text (`recordsJson`): one
      // string crosses each actor hop instead of thousands of objects.
      const recordsJson = JSON.stringify(records)
      const recorded = (await system.ask(
        `integrity-${e}`,
        'integrity.record',
        { recordsJson },
        { timeoutMs: 120_000 },
      )) as RecordRecordsResult
      const answered = performance.now()
      result.recordMs.push(answered - sent)
      const ingest = (
        system.ask(
          phase.ingestAt[(lane + call) % phase.ingestAt.length] as string,
          'fogdb.ingest',
          {
            batch: recorded.batch,
            recordsJson,
            proof: recorded.proof,
            callRoot: recorded.callRoot,
          },
          { timeoutMs: 120_000 },
        ) as Promise<{ records: number }>
      ).then((reply) => {
        const done = performance.now()
        result.verified += reply.records
        result.latencies.push(done - sent)
        result.ingestMs.push(done - answered)
        inflight.delete(ingest)
      })
      inflight.add(ingest)
      // Backpressure: past `inflight` outstanding ingests the lane waits for the fog.
      while (inflight.size >= phase.inflight) await Promise.race(inflight)
    }
    await Promise.all(inflight)
  }
  await Promise.all(Array.from({ length: lanes }, (_, lane) => laneLoop(lane)))
  result.elapsedS = (performance.now() - started) / 1000
  return result
}

function describePhase(log: (line: string) => void, name: string, r: PhaseResult) {
  log(
    `${name}: ${r.verified} verified rows in ${round(r.elapsedS, 1)} s = ${Math.round(r.verified / r.elapsedS)} records/s; ` +
      `record → verified p50 ${round(percentile(r.latencies, 50), 0)} ms, p99 ${round(percentile(r.latencies, 99), 0)} ms; ` +
      `integrity.record p50 ${round(percentile(r.recordMs, 50), 0)} ms, fogdb.ingest p50 ${round(percentile(r.ingestMs, 50), 0)} ms`,
  )
}

async function edgeHosts(dir: string, edges: number): Promise<Host[]> {
  const hosts: Host[] = []
  for (let e = 0; e < edges; e++) {
    const { privateKey } = generateKeyPairSync('ed25519')
    const path = join(dir, `edge-${e}.pem`)
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
    hosts.push({ hostId: `edge-${e}`, path, publicKey: batchSignerFrom(privateKey).publicKey })
  }
  return hosts
}

async function storeRates(log: (line: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-integrity-store-'))
  try {
    const sqliteStore = await openFogStore({ file: join(dir, 'ingest.sqlite') })
    const sqlite = await ingestRate(sqliteStore, 10, 2000)
    await sqliteStore.close()
    const pg = startTestPostgres()
    try {
      const pgStore = await openFogStore({ url: pg.url })
      const postgres = await ingestRate(pgStore, 10, 2000)
      await pgStore.close()
      log(
        `ingest (verify + store, 2,000-record calls): SQLite ${Math.round(sqlite)} rows/s, PostgreSQL ${Math.round(postgres)} rows/s`,
      )
      return { sqlite, postgres }
    } finally {
      pg.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function runAudit(
  system: ActorSystem,
  log: (line: string) => void,
): Promise<{ rate: number; rows: number }> {
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
  const rate = audit.checked / (audit.durationMs / 1000)
  log(
    `audit: ${audit.checked} rows (${audit.intact} intact, ${audit.batchesConfirmed} ledger batches) in ${round(audit.durationMs, 0)} ms (reading them ${round(audit.materialMs, 0)} ms) = ${Math.round(rate)} rows/s`,
  )
  return { rate, rows: audit.checked }
}

/** The audit's rate and its CPU per row (this process: the fog-db and every verifier). */
async function measuredAudit(
  system: ActorSystem,
  cpu: ReturnType<typeof cpuMeter>,
  log: (line: string) => void,
) {
  const before = cpu().own
  const audit = await runAudit(system, log)
  const auditCpuUs = round(((cpu().own - before) * 1e6) / audit.rows, 2)
  log(`audit CPU per row (this process, every worker): ${auditCpuUs} µs`)
  return { auditRate: audit.rate, auditCpuUs }
}

/**
 * Phase 1 (closed loop), after `warmupSeconds` of the same load that are not counted, with the
 * CPU it took per record and what the run burns when idle.
 */
async function closedLoop(
  system: ActorSystem,
  cpu: ReturnType<typeof cpuMeter>,
  edges: number,
  phase: Phase,
  { log, warmupSeconds }: { log: (line: string) => void; warmupSeconds: number },
) {
  if (warmupSeconds > 0) {
    const warm = await runPhase(system, edges, { ...phase, seconds: warmupSeconds, tag: 'warm' })
    describePhase(log, 'warm-up (not counted)', warm)
  }
  // What the actors and the localnet burn with nothing to do (timers, polling, consensus).
  const idleBefore = cpu()
  await Bun.sleep(3_000)
  const idleAfter = cpu()
  const idleOwn = round((idleAfter.own - idleBefore.own) / 3, 2)
  const idleLocalnet = round((idleAfter.localnet - idleBefore.localnet) / 3, 2)
  log(
    `idle: ${idleOwn} cores in this process, ${idleLocalnet} cores in the localnet's validators and apps`,
  )
  const cpuBefore = cpu()
  const max = await runPhase(system, edges, phase)
  describePhase(log, 'closed loop (max)', max)
  const cpuAfter = cpu()
  const perRecord = (seconds: number) => round((seconds * 1e6) / max.verified, 1)
  const cpuOwn = perRecord(cpuAfter.own - cpuBefore.own)
  const cpuLocalnet = perRecord(cpuAfter.localnet - cpuBefore.localnet)
  log(
    `closed loop CPU per verified record: ${cpuOwn} µs in this process (every actor worker), ${cpuLocalnet} µs in the localnet's validators and apps`,
  )
  return {
    max,
    closed_loop_cpu_us_per_record: cpuOwn,
    closed_loop_localnet_cpu_us_per_record: cpuLocalnet,
    idle_cpu_cores: idleOwn,
    idle_localnet_cpu_cores: idleLocalnet,
  }
}

/** `--store-priority`: one of the runtime's thread priorities (default high). */
function storePriorityOf(args: string[]): ThreadPriority {
  const at = args.indexOf('--store-priority')
  const value = at >= 0 ? args[at + 1] : 'high'
  const priority = THREAD_PRIORITIES.find((known) => known === value)
  if (!priority) {
    throw new Error(`--store-priority takes ${THREAD_PRIORITIES.join(' | ')} (got ${value})`)
  }
  return priority
}

/** The scenario's options, with their defaults. */
function optionsOf(args: string[]) {
  const lanes = option(args, 'lanes', 2)
  if (!Number.isInteger(lanes) || lanes < 1) {
    throw new Error(`--lanes takes a whole number ≥ 1 (got ${lanes})`)
  }
  return {
    validators: option(args, 'validators', 4),
    edges: option(args, 'edges', 4),
    callSize: option(args, 'call', 2000),
    seconds: option(args, 'seconds', 10),
    inflight: option(args, 'inflight', 2),
    lanes,
    commitMs: option(args, 'commit-ms', 0),
    gossipMs: option(args, 'gossip-ms', 10),
    warmupSeconds: option(args, 'warmup-seconds', 3),
    storePriority: storePriorityOf(args),
  }
}

export const scenario: BenchScenario = {
  name: 'integrity',
  description:
    'integrity.record → CometBFT receipts → verified rows in the fog database; audit; SQLite vs PostgreSQL ingest',
  async run({ log, args }) {
    const options = optionsOf(args)
    const { validators, edges, callSize, seconds, inflight, lanes, commitMs, gossipMs } = options
    const verifiers = Array.from(
      { length: option(args, 'verifiers', 2) },
      (_, i) => `fog-verifier-${i}`,
    )
    const ingestAt = verifiers.length > 0 ? verifiers : ['fog-db']
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-integrity-'))
    const net = await startLocalnet({ validators, timeouts: { commitMs, gossipSleepMs: gossipMs } })
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
      const stages = await stageCosts(dir)
      log(`# per-stage µs per record, one process: ${JSON.stringify(stages)}`)
      const refused: string[] = []
      system.subscribe((event) => {
        if (event.type === 'actor.priority_refused') refused.push(`${event.actor}: ${event.reason}`)
      })
      const storePriority = options.storePriority
      await spawnAll(system, net, await edgeHosts(dir, edges), dir, { verifiers, storePriority })
      for (const line of refused) log(`# priority refused, ${line}`)
      log(
        `# ${validators} validators, ${edges} edge hosts, ${callSize} records per call, ${seconds} s, ${lanes} record call(s) in flight per edge, ≤ ${inflight} ingests in flight per lane, ${verifiers.length} fog-verifier replicas`,
      )
      const phase = { callSize, inflight, lanes, rate: 0, ingestAt }
      const cpu = cpuMeter(net)
      const { max, ...cpuFigures } = await closedLoop(
        system,
        cpu,
        edges,
        { ...phase, seconds, tag: 'max' },
        { log, warmupSeconds: options.warmupSeconds },
      )
      const maxRate = max.verified / max.elapsedS
      const rate = option(args, 'rate', 0) || Math.round(maxRate / 2)
      const paced = await runPhase(system, edges, { ...phase, seconds, rate, tag: 'paced' })
      describePhase(log, `offered ${rate} records/s`, paced)
      const { auditRate, auditCpuUs } = await measuredAudit(system, cpu, log)
      await system.shutdown({ deadlineMs: 5_000 })
      await net.stop()
      const stores = await storeRates(log)
      return {
        integrity_records_per_s: Math.round(maxRate),
        record_to_verified_p50_ms: round(percentile(paced.latencies, 50), 1),
        record_to_verified_p99_ms: round(percentile(paced.latencies, 99), 1),
        latency_offered_records_per_s: rate,
        latency_achieved_records_per_s: Math.round(paced.verified / paced.elapsedS),
        max_load_p50_ms: round(percentile(max.latencies, 50), 1),
        record_call_p50_ms: round(percentile(paced.recordMs, 50), 1),
        ingest_call_p50_ms: round(percentile(paced.ingestMs, 50), 1),
        audit_rows_per_s: Math.round(auditRate),
        audit_cpu_us_per_row: auditCpuUs,
        ...cpuFigures,
        sqlite_ingest_rows_per_s: Math.round(stores.sqlite),
        postgres_ingest_rows_per_s: Math.round(stores.postgres),
        ...Object.fromEntries(Object.entries(stages).map(([k, v]) => [`stage_${k}`, v])),
        validators,
        edges,
        records_per_call: callSize,
        lanes_per_edge: lanes,
        commit_ms: commitMs,
        gossip_sleep_ms: gossipMs,
        warmup_seconds: options.warmupSeconds,
        verifiers: verifiers.length,
        store_priority: refused.length === 0 ? options.storePriority : 'normal (refused)',
      }
    } finally {
      await system.shutdown({ deadlineMs: 2_000 }).catch(() => {})
      await net.stop().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
