/**
 * Fuzzing the ABCI ledger app with malformed requests and transactions
 * (fast-check cases, then byte mutations of encoded requests and of valid
 * signed transactions), in process (decodeRequest + routeAbciRequest, as
 * the server runs them) and over a live ABCI socket.
 *
 * A transaction or query rejection must carry a non-zero code and a log; a
 * request the app cannot serve is answered with ResponseException (the ABCI
 * protocol's error, after which CometBFT stops the node) whose message says
 * what was wrong; a raw JavaScript error text (TypeError, SyntaxError…) is
 * unclear, a thrown exception escaping the server a crash. Afterwards a
 * valid transaction must still be accepted.
 */
import { Request, Response } from 'cosmjs-types/tendermint/abci/types'
import fc from 'fast-check'
import {
  countOutcome,
  FuzzRandom,
  type FuzzReport,
  mutateBytes,
  newFuzzReport,
  recordFinding,
} from '../../runtime/testing/index.ts'
import { encodeFrame, FrameDecoder } from '../abci/abci-framing.ts'
import { createAbciServer } from '../abci/abci-server.ts'
import { AppStore } from '../abci/app-store.ts'
import { decodeRequest } from '../abci/decode-request.ts'
import { LedgerApp } from '../abci/ledger-app.ts'
import { encodeLedgerTx } from '../abci/ledger-tx.ts'
import { QUERY_PATHS } from '../abci/query-paths.ts'
import { routeAbciRequest } from '../abci/route-abci-request.ts'
import { generateSignerKey, type SignerKey } from '../abci/signer-key.ts'
import { encodeRecordBatch } from '../abci/tx-payload.ts'

const CHAIN = 'vigil-fuzz'
/** The exceptions the app answers on purpose, each saying what was wrong. */
const CLEAR_EXCEPTION =
  /^(malformed ABCI request|genesis app_state|Commit without FinalizeBlock|unknown ABCI request type|ledger has no settings|app answered)/
/** Raw JavaScript error texts: an exception message that names no vigil rule. */
const RAW_ERROR =
  /^(TypeError|RangeError|SyntaxError|ReferenceError)\b|undefined is not|is not a function|Cannot read/

export type AbciFuzzTarget = {
  app: LedgerApp
  key: SignerKey
  validTx(nonce: bigint): Uint8Array
}

/** A fresh in-memory ledger app with one admin key, after InitChain. */
export async function createAbciFuzzTarget(): Promise<AbciFuzzTarget> {
  const key = generateSignerKey()
  const app = new LedgerApp(new AppStore(':memory:'))
  app.initChain(
    Request.fromPartial({
      initChain: {
        chainId: CHAIN,
        appStateBytes: new TextEncoder().encode(
          JSON.stringify({
            signers: [{ publicKeyHex: key.publicKeyHex, role: 'admin', name: 'admin' }],
            maxTxBytes: 64 * 1024,
            maxRecordsPerTx: 100,
          }),
        ),
      },
    }).initChain as never,
  )
  const validTx = (nonce: bigint) =>
    encodeLedgerTx({
      chainId: CHAIN,
      key,
      nonce,
      payload: encodeRecordBatch([
        { kind: 'enf_fingerprint', key: `fuzz/${nonce}`, dataHex: '00ff' },
      ]).payload,
    })
  return { app, key, validTx }
}

const bytes = fc.uint8Array({ maxLength: 200 })

/** One ABCI request, mostly of a type the app serves, with fuzzed fields. */
function requestCase(txs: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const request = fc.oneof(
    fc.record({ checkTx: fc.record({ tx: txs, type: fc.constantFrom(0, 1, 7) }) }),
    fc.record({ checkTx: fc.record({ tx: txs }) }),
    fc.record({
      query: fc.record({
        path: fc.oneof(
          fc.constantFrom(...Object.values(QUERY_PATHS)),
          fc.string({ maxLength: 20 }),
        ),
        data: fc.oneof(
          bytes,
          fc.string({ maxLength: 80 }).map((s) => new TextEncoder().encode(s)),
        ),
        height: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
      }),
    }),
    fc.record({
      finalizeBlock: fc.record({
        txs: fc.array(txs, { maxLength: 4 }),
        height: fc.bigInt({ min: 0n, max: 2n ** 62n }),
      }),
    }),
    fc.record({
      prepareProposal: fc.record({
        txs: fc.array(txs, { maxLength: 4 }),
        maxTxBytes: fc.bigInt({ min: -1n, max: 2n ** 40n }),
      }),
    }),
    fc.record({ processProposal: fc.record({ txs: fc.array(txs, { maxLength: 4 }) }) }),
    fc.record({
      initChain: fc.record({ chainId: fc.string({ maxLength: 10 }), appStateBytes: bytes }),
    }),
    fc.constantFrom(
      { commit: {} },
      { info: {} },
      { flush: {} },
      { echo: { message: 'x' } },
      { listSnapshots: {} },
    ),
  )
  return request.map((partial) => Request.encode(Request.fromPartial(partial as never)).finish())
}

/** Runs `requests` cases in process; most are mutations of fast-check cases. */
export async function fuzzAbciApp(
  target: AbciFuzzTarget,
  options: { seed: number; requests: number },
): Promise<FuzzReport> {
  const report = newFuzzReport(options.seed)
  const random = new FuzzRandom(options.seed)
  const valid = Array.from({ length: 16 }, (_, i) => target.validTx(BigInt(1_000_000 + i)))
  const txs = fc.oneof(
    bytes,
    fc.constantFrom(...valid).map((tx) => mutateBytes(tx, random)),
  )
  for (let batch = 0; report.cases < options.requests; batch++) {
    const seed = options.seed + batch
    const cases = fc.sample(requestCase(txs), { seed, numRuns: 200 })
    for (let i = 0; i < 1000 && report.cases < options.requests; i++) {
      const base = cases[i % cases.length] as Uint8Array
      const frame = i < cases.length ? base : mutateBytes(base, random)
      report.cases++
      await serveOne(target.app, frame, report, `seed ${seed} case ${i}`)
    }
  }
  return report
}

async function serveOne(app: LedgerApp, frame: Uint8Array, report: FuzzReport, where: string) {
  let response: Response
  try {
    response = await routeAbciRequest(app, decodeRequest(frame))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    countOutcome(report, `exception: ${message.split(/[(:]/)[0]?.trim()}`)
    if (!CLEAR_EXCEPTION.test(message) || RAW_ERROR.test(message))
      recordFinding(report, 'unclear', `${where}: exception '${message}'`)
    return
  }
  const result = response.checkTx ?? response.query
  if (result && result.code !== 0) {
    countOutcome(report, `code ${result.code}`)
    if (!result.log) recordFinding(report, 'unclear', `${where}: code ${result.code} without a log`)
  } else countOutcome(report, Object.keys(Response.toJSON(response) as object)[0] ?? 'empty')
}

/** Sends `requests` fuzzed frames over a live ABCI socket, reconnecting after each close. */
export async function fuzzAbciSocket(
  target: AbciFuzzTarget,
  options: { seed: number; requests: number },
): Promise<FuzzReport> {
  const report = newFuzzReport(options.seed)
  const server = await createAbciServer({ app: target.app, address: 'tcp://127.0.0.1:0' })
  const random = new FuzzRandom(options.seed)
  const cases = fc.sample(requestCase(bytes), { seed: options.seed, numRuns: 500 })
  const url = new URL(server.address)
  try {
    while (report.cases < options.requests) {
      const count = Math.min(options.requests - report.cases, 1 + random.int(32))
      const frames = Array.from({ length: count }, () => {
        const base = random.pick(cases)
        return encodeFrame(random.int(2) === 0 ? base : mutateBytes(base, random))
      })
      frames.push(encodeFrame(Request.encode(Request.fromPartial({ flush: {} })).finish()))
      report.cases += count
      await exchange(url, Buffer.concat(frames), report)
    }
  } finally {
    await server.close()
  }
  return report
}

/** Writes the frames on a fresh connection; reads answers until the flush reply or a close. */
async function exchange(url: URL, bytes: Uint8Array, report: FuzzReport): Promise<void> {
  const decoder = new FrameDecoder()
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      recordFinding(report, 'unclear', 'ABCI socket neither answered the flush nor closed in 5 s')
      resolve()
    }, 5000)
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    Bun.connect({
      hostname: url.hostname,
      port: Number(url.port),
      socket: {
        open: (socket) => void socket.write(bytes),
        data(socket, chunk) {
          for (const frame of decoder.push(new Uint8Array(chunk))) {
            const response = Response.decode(frame)
            if (response.exception) countOutcome(report, 'exception')
            if (response.flush || response.exception) {
              socket.end()
              done()
            }
          }
        },
        close: done,
        error: done,
      },
    }).catch(() => {
      recordFinding(report, 'crash', 'ABCI listener refused a connection')
      done()
    })
  })
}
