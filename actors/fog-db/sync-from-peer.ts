/**
 * Two fog sites of a domain synchronizing through the ledger: this site pulls
 * the peer's stored calls (`fogdb.export`, page by page) and ingests each with
 * the verification an edge batch gets — the signer a registered edge host, the
 * signature over exactly these records, each Merkle batch's root rebuilt and
 * confirmed on the shared CometBFT ledger. What verifies is stored (once: the
 * import is idempotent); a call altered at the peer (a changed, deleted or
 * forged row, a changed receipt) is refused whole and listed, never stored.
 */
import { FogBatchRefusedError } from './errors.ts'
import type { ExportCursor, ExportedCalls } from './export-calls.ts'
import { type IngestDeps, ingestBatch } from './ingest-batch.ts'

export type SyncResult = {
  calls: number
  stored: number
  refused: { digest: string; hostId: string; part: string; reason: string }[]
}

/** Imports every call `exportPage` offers, from the oldest. */
export async function syncFromPeer(
  deps: IngestDeps,
  peer: string,
  exportPage: (after: ExportCursor | undefined) => Promise<ExportedCalls>,
): Promise<SyncResult> {
  const result: SyncResult = { calls: 0, stored: 0, refused: [] }
  let after: ExportCursor | undefined
  for (;;) {
    const page = await exportPage(after)
    for (const call of page.calls) {
      result.calls++
      try {
        result.stored += (await ingestBatch(deps, call)).stored
      } catch (error) {
        if (!(error instanceof FogBatchRefusedError) && !FogBatchRefusedError.is(error)) throw error
        const refusal = error as FogBatchRefusedError
        result.refused.push({
          digest: call.batch.digest,
          hostId: call.batch.hostId,
          part: String(refusal.meta?.part ?? 'unknown'),
          reason: `${peer}: ${refusal.shortMessage ?? refusal.message}`,
        })
      }
    }
    if (!page.next || page.calls.length === 0) return result
    after = page.next
  }
}
