/**
 * The domain of the host fault tests and runs: fog-1 (the seed, whose
 * gateway takes the load), edge-1 and edge-2 as real processes on loopback,
 * deploying one stateful ledger actor (ledger-actor-fixture.ts) that the
 * placement puts on edge-1. Failure detection is tuned as
 * docs/reliability.md ("Host kill") describes. Every JSON log line is kept
 * with its host, for detection and re-placement times.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Domain, startDomain } from '../domain/start-domain.ts'
import { waitFor } from './wait-for.ts'

export type LogEntry = { host: string; event: string; ts: string; [key: string]: unknown }

export type LedgerDomain = {
  domain: Domain
  dir: string
  /** fog-1's gateway. */
  gateway: string
  logs: LogEntry[]
  /** Wall-clock ms of the first log entry matching, or NaN. */
  timeOf(match: (entry: LogEntry) => boolean): number
}

const LEDGER_MODULE = join(import.meta.dir, 'ledger-actor-fixture.ts')

/** Starts the domain and waits until its ledger actor answers through fog-1's gateway. */
export async function startLedgerDomain(capacity: number): Promise<LedgerDomain> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-host-kill-'))
  const logs: LogEntry[] = []
  const domain = await startDomain({
    dir,
    hosts: [
      { id: 'fog-1', role: 'fog' },
      { id: 'edge-1', role: 'edge' },
      { id: 'edge-2', role: 'edge' },
    ],
    actors: [
      {
        name: 'ledger',
        module: LEDGER_MODULE,
        export: 'ledgerActor',
        args: { capacity },
        placement: { role: 'edge' },
      },
    ],
    hostConfig: {
      heartbeatIntervalMs: 100,
      suspicionTimeoutMs: 2000,
      connectionLossTimeoutMs: 300,
      requestTimeoutMs: 5000,
    },
    onLog: (host, line) => {
      if (!line.startsWith('{')) return
      try {
        logs.push({ ...(JSON.parse(line) as LogEntry), host })
      } catch {
        // not a log line
      }
    },
  })
  const gateway = domain.gatewayUrl
  await waitFor(
    async () => {
      const response = await fetch(`${gateway}/v1/actors/ledger/ledger.read`, {
        method: 'POST',
        body: '{}',
      }).catch(() => undefined)
      return response?.status === 200
    },
    { message: 'the ledger actor answering through fog-1' },
  )
  const timeOf = (match: (entry: LogEntry) => boolean) => {
    const entry = logs.find(match)
    return entry ? Date.parse(entry.ts) : Number.NaN
  }
  return { domain, dir, gateway, logs, timeOf }
}

/** The ledger actor's state, read through `gateway`. */
export async function readLedgerOver(gateway: string) {
  const response = await fetch(`${gateway}/v1/actors/ledger/ledger.read`, {
    method: 'POST',
    body: '{}',
  })
  if (response.status !== 200) throw new Error(`ledger.read answered ${response.status}`)
  return (await response.json()) as { applied: number; duplicates: number; bits: string }
}
