/**
 * A fast path for decoding the ABCI requests that carry whole blocks.
 *
 * PrepareProposal, ProcessProposal and FinalizeBlock each carry every
 * transaction of a block (megabytes), and CheckTx carries one; cosmjs-types'
 * generated decoder copies every `bytes` field, which profiling showed to be
 * the app's largest cost. This decoder reads those four requests without
 * copying (transactions are views into the frame) and parses only the fields
 * vigil's app reads — txs, height, hash, max_tx_bytes, tx and type; every
 * other field keeps its proto3 default. Other requests go to cosmjs-types.
 * Field numbers: proto/tendermint/abci/types.proto (v0.38).
 */
import {
  Request,
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestPrepareProposal,
  type RequestProcessProposal,
} from 'cosmjs-types/tendermint/abci/types'

const EMPTY = new Uint8Array(0)

const CHECK_TX = 8
const PREPARE_PROPOSAL = 16
const PROCESS_PROPOSAL = 17
const FINALIZE_BLOCK = 20

type Cursor = { buffer: Uint8Array; offset: number; end: number }

function readVarint(cursor: Cursor): number {
  let value = 0
  let scale = 1
  for (let i = 0; i < 10; i++) {
    if (cursor.offset >= cursor.end) throw new RangeError('truncated varint')
    const byte = cursor.buffer[cursor.offset++] as number
    value += (byte & 0x7f) * scale
    if (byte < 0x80) return value
    scale *= 0x80
  }
  throw new RangeError('varint longer than 10 bytes')
}

function readBytes(cursor: Cursor): Uint8Array {
  const length = readVarint(cursor)
  const start = cursor.offset
  const end = start + length
  if (end > cursor.end) throw new RangeError('truncated length-delimited field')
  cursor.offset = end
  return cursor.buffer.subarray(start, end)
}

function skip(cursor: Cursor, wireType: number): void {
  if (wireType === 0) readVarint(cursor)
  else if (wireType === 1) cursor.offset += 8
  else if (wireType === 2) readBytes(cursor)
  else if (wireType === 5) cursor.offset += 4
  else throw new RangeError(`unsupported wire type ${wireType}`)
  if (cursor.offset > cursor.end) throw new RangeError('truncated field')
}

/** Visits every field of the message in `cursor`: `field(number, wireType)` reads or skips it. */
function forEachField(cursor: Cursor, field: (number: number, wireType: number) => boolean): void {
  while (cursor.offset < cursor.end) {
    const key = readVarint(cursor)
    const number = Math.floor(key / 8)
    const wireType = key % 8
    if (!field(number, wireType)) skip(cursor, wireType)
  }
}

/**
 * Decodes one ABCI request frame; block-carrying requests without copying
 * their transactions. Throws an Error whose message starts with
 * `malformed ABCI request` for a frame that is not a Request.
 */
export function decodeRequest(frame: Uint8Array): Request {
  try {
    return decodeFrame(frame)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`malformed ABCI request (${frame.length} bytes): ${reason}`)
  }
}

function decodeFrame(frame: Uint8Array): Request {
  const outer: Cursor = { buffer: frame, offset: 0, end: frame.length }
  if (frame.length === 0) return Request.decode(frame)
  const key = readVarint(outer)
  const number = Math.floor(key / 8)
  const fast =
    key % 8 === 2 && [CHECK_TX, PREPARE_PROPOSAL, PROCESS_PROPOSAL, FINALIZE_BLOCK].includes(number)
  if (!fast) return Request.decode(frame)
  const inner = readBytes(outer)
  if (outer.offset !== outer.end) return Request.decode(frame)
  const cursor: Cursor = { buffer: inner, offset: 0, end: inner.length }
  if (number === CHECK_TX) {
    const request: RequestCheckTx = { tx: EMPTY, type: 0 }
    forEachField(cursor, (field, wire) => {
      if (field === 1 && wire === 2) request.tx = readBytes(cursor)
      else if (field === 2 && wire === 0) request.type = readVarint(cursor)
      else return false
      return true
    })
    return { checkTx: request }
  }
  if (number === PREPARE_PROPOSAL) {
    const request: RequestPrepareProposal = {
      maxTxBytes: 0n,
      txs: [],
      localLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      height: 0n,
      time: { seconds: 0n, nanos: 0 },
      nextValidatorsHash: EMPTY,
      proposerAddress: EMPTY,
    }
    forEachField(cursor, (field, wire) => {
      if (field === 1 && wire === 0) request.maxTxBytes = BigInt(readVarint(cursor))
      else if (field === 2 && wire === 2) request.txs.push(readBytes(cursor))
      else if (field === 5 && wire === 0) request.height = BigInt(readVarint(cursor))
      else return false
      return true
    })
    return { prepareProposal: request }
  }
  // Both share these fields (decided_last_commit / proposed_last_commit default to an empty commit).
  const request: RequestFinalizeBlock & RequestProcessProposal = {
    txs: [],
    decidedLastCommit: { round: 0, votes: [] },
    proposedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: EMPTY,
    height: 0n,
    time: { seconds: 0n, nanos: 0 },
    nextValidatorsHash: EMPTY,
    proposerAddress: EMPTY,
  }
  forEachField(cursor, (field, wire) => {
    if (field === 1 && wire === 2) request.txs.push(readBytes(cursor))
    else if (field === 4 && wire === 2) request.hash = readBytes(cursor)
    else if (field === 5 && wire === 0) request.height = BigInt(readVarint(cursor))
    else return false
    return true
  })
  return number === FINALIZE_BLOCK ? { finalizeBlock: request } : { processProposal: request }
}
