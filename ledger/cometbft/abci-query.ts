/** ABCI queries to the vigil app (paths in ledger/abci/query-paths.ts), with node failover. */
import { QUERY_CODES } from '../abci/query-paths.ts'
import { LedgerUnavailableError } from '../errors.ts'
import type { NodePool } from './node-pool.ts'

/** The app's JSON answer to `path` with `data`, or null when it has nothing there. */
export async function abciQuery<T>(nodes: NodePool, path: string, data: string): Promise<T | null> {
  const answer = await nodes.withNode((client) =>
    client.abciQuery({ path, data: new TextEncoder().encode(data) }),
  )
  if (answer.code === QUERY_CODES.NOT_FOUND) return null
  if ((answer.code ?? 0) !== 0)
    throw new LedgerUnavailableError(`ledger query ${path} failed: ${answer.log ?? ''}`)
  return JSON.parse(new TextDecoder().decode(answer.value)) as T
}
