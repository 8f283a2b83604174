/**
 * `fogdb.audit` shared between workers: the rows of different hosts share no
 * receipt, call or leaf (a record's key, its call and its call's ledger key
 * all name its host), so the audit of all hosts is exactly the union of the
 * audits of each host's rows. The fog-db actor splits the hosts in scope into
 * shares of about equal row counts (its own and one per fog-verifier
 * replica), each share reads and re-verifies its hosts' rows on its own
 * worker (SQLite in WAL mode lets them read beside each other), and the
 * reports are merged.
 *
 * Ledger batches hold the calls of several hosts, and one ledger actor
 * answers one message at a time, so the shares do not each ask the ledger:
 * a verifier's share runs with a deferring ledger that records the batches
 * it would have confirmed (`assumed`) and takes them as confirmed; the fog-db
 * confirms its own share's batches while it hashes (overlapped, as a single
 * audit does), then every assumed batch it has not confirmed in one
 * `ledger.verify_many`. Should one not hold, each share that assumed it is
 * audited again on the fog-db against the ledger itself, so the merged
 * report is exactly what one audit over every host reports: no row is
 * reported intact unless its batch was confirmed by the ledger in this run.
 * `batchesConfirmed` counts the distinct batches confirmed.
 */
import type { Receipt } from '../../ledger/index.ts'
import {
  type AuditReport,
  auditRows,
  batchIdentity,
  type IntegrityLedger,
  type Verification,
} from '../integrity/index.ts'
import type { FogStore } from './fog-store.ts'
import type { FogTable } from './fog-tables.ts'

/** A report with the time it took and, of that, the time spent reading from the database. */
export type TimedAuditReport = AuditReport & { durationMs: number; materialMs: number }

/** A verifier's share: its report, valid only if each batch it `assumed` is confirmed. */
export type AuditShare = TimedAuditReport & { assumed: Receipt[] }

/** A ledger that takes every batch as confirmed and records them (a verifier's share). */
export function deferringLedger(ledger: IntegrityLedger): {
  ledger: IntegrityLedger
  assumed: Map<string, Receipt>
} {
  const assumed = new Map<string, Receipt>()
  const assume = (receipt: Receipt): Verification => {
    assumed.set(batchIdentity(receipt), receipt)
    return { valid: true }
  }
  return {
    assumed,
    ledger: {
      ...ledger,
      verify: async (receipt) => assume(receipt),
      verifyMany: async (receipts) => receipts.map(assume),
    },
  }
}

/** A ledger that remembers which batches it confirmed. */
function recordingLedger(ledger: IntegrityLedger): {
  ledger: IntegrityLedger
  confirmed: Set<string>
} {
  const confirmed = new Set<string>()
  const note = (receipt: Receipt, result: Verification) => {
    if (result.valid) confirmed.add(batchIdentity(receipt))
    return result
  }
  return {
    confirmed,
    ledger: {
      ...ledger,
      verify: async (receipt) => note(receipt, await ledger.verify(receipt)),
      verifyMany: async (receipts) =>
        (await ledger.verifyMany(receipts)).map((result, i) =>
          note(receipts[i] as Receipt, result),
        ),
    },
  }
}

/**
 * Runs this worker's share (`own`) against the ledger while `shares` (asked of the verifiers)
 * run beside it, then confirms what they assumed; re-audits here a share whose assumption fails.
 */
export async function auditShared(
  ledger: IntegrityLedger,
  store: FogStore,
  tables: readonly FogTable[] | undefined,
  own: readonly string[],
  shares: readonly { hostIds: readonly string[]; report: Promise<AuditShare> }[],
): Promise<TimedAuditReport> {
  const started = performance.now()
  const recording = recordingLedger(ledger)
  const mine = await auditHosts(recording.ledger, store, tables, own)
  // A share that could not run (its verifier gone or busy past the timeout) is audited here.
  const answered = await Promise.all(shares.map((share) => share.report.catch(() => null)))
  const pending = new Map<string, Receipt>()
  for (const share of answered) {
    if (!share) continue
    for (const receipt of share.assumed) {
      const id = batchIdentity(receipt)
      if (!recording.confirmed.has(id)) pending.set(id, receipt)
    }
  }
  const failed = new Set<string>()
  if (pending.size > 0) {
    const results = await ledger.verifyMany([...pending.values()])
    ;[...pending.keys()].forEach((id, i) => {
      if (results[i]?.valid) recording.confirmed.add(id)
      else failed.add(id)
    })
  }
  const parts: TimedAuditReport[] = [mine]
  for (const [i, share] of answered.entries()) {
    const holds = share?.assumed.every((receipt) => !failed.has(batchIdentity(receipt)))
    parts.push(
      share && holds
        ? share
        : await auditHosts(ledger, store, tables, shares[i]?.hostIds as readonly string[]),
    )
  }
  return {
    ...mergeAuditReports(parts),
    batchesConfirmed: recording.confirmed.size,
    durationMs: performance.now() - started,
    materialMs: Math.max(...parts.map((part) => part.materialMs)),
  }
}

/** Audits the rows of `hostIds` (all tables, or `tables`), one host at a time, and merges. */
export async function auditHosts(
  ledger: IntegrityLedger,
  store: FogStore,
  tables: readonly FogTable[] | undefined,
  hostIds: readonly (string | undefined)[],
): Promise<TimedAuditReport> {
  const started = performance.now()
  const reports: AuditReport[] = []
  let materialMs = 0
  for (const hostId of hostIds) {
    const read = performance.now()
    const material = await store.auditMaterial({ tables, hostId })
    materialMs += performance.now() - read
    reports.push(
      await auditRows(ledger, material.rows, material.receipts, material.proofs, material.calls),
    )
  }
  return { ...mergeAuditReports(reports), durationMs: performance.now() - started, materialMs }
}

/** Splits hosts into `count` shares of about equal rows (largest first, to the lightest share). */
export function shareHosts(
  hosts: readonly { readonly hostId: string; readonly rows: number }[],
  count: number,
): string[][] {
  const shares = Array.from({ length: Math.max(1, count) }, () => ({
    rows: 0,
    hostIds: [] as string[],
  }))
  for (const host of [...hosts].sort((a, b) => b.rows - a.rows)) {
    const lightest = shares.reduce((min, share) => (share.rows < min.rows ? share : min))
    lightest.hostIds.push(host.hostId)
    lightest.rows += host.rows
  }
  return shares.map((share) => share.hostIds)
}

/** One report of several shares: counts added, lists concatenated. */
export function mergeAuditReports(reports: readonly AuditReport[]): AuditReport {
  return {
    checked: sum(reports, (r) => r.checked),
    intact: sum(reports, (r) => r.intact),
    tampered: reports.flatMap((r) => r.tampered),
    missing: reports.flatMap((r) => r.missing),
    unrecorded: reports.flatMap((r) => r.unrecorded),
    damagedProofs: reports.flatMap((r) => r.damagedProofs),
    batchesConfirmed: sum(reports, (r) => r.batchesConfirmed),
  }
}

const sum = (reports: readonly AuditReport[], of: (report: AuditReport) => number) =>
  reports.reduce((total, report) => total + of(report), 0)
