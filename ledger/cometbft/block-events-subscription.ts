/**
 * One WebSocket `tm.event='NewBlockEvents'` subscription to a CometBFT node,
 * reporting the (hash, code) pair the vigil ABCI app emits per transaction in
 * its `vigil_tx` block events. A `tm.event='Tx'` subscription would make the
 * node serialize, and this client parse and re-hash, every transaction's bytes.
 */
import { TX_OUTCOME_EVENT } from '../abci/tx-codes.ts'

/** What the subscription reports to its owner. */
export type BlockEventsHandlers = {
  /** A transaction's outcome in block `height` (code 0 = written). */
  onOutcome(height: number, txHash: string, code: number): void
  /** The socket failed or closed, or the node refused the subscription. */
  onDropped(): void
}

/** An open (or opening) subscription. */
export type BlockEventsSubscription = {
  /** Settles once the node answered the subscribe request, or the socket dropped. */
  readonly subscribed: Promise<void>
  close(): void
}

/** The value of a NewBlockEvents event (CometBFT 0.38 JSON). */
type BlockEventsValue = {
  height: string
  events?: { type: string; attributes?: { key: string; value?: string }[] }[]
}

/** The JSON-RPC frames the node sends on the socket: the subscribe answer, then events. */
type SubscriptionFrame = {
  id?: unknown
  error?: unknown
  result?: { data?: { type?: string; value?: BlockEventsValue } }
}

const SUBSCRIPTION_ID = 'vigil-confirm'

/** Subscribes to the block events of the node whose RPC endpoint is `rpcUrl` (http://host:port). */
export function subscribeBlockEvents(
  rpcUrl: string,
  handlers: BlockEventsHandlers,
): BlockEventsSubscription {
  const socket = new WebSocket(`${rpcUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/websocket`)
  const { promise: subscribed, resolve } = Promise.withResolvers<void>()
  const dropped = () => {
    handlers.onDropped()
    resolve()
  }
  socket.onopen = () =>
    socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: SUBSCRIPTION_ID,
        method: 'subscribe',
        params: { query: "tm.event='NewBlockEvents'" },
      }),
    )
  socket.onmessage = (message) => {
    const frame = parseJson(message.data) as SubscriptionFrame | null
    if (!frame) return
    if (frame.id === SUBSCRIPTION_ID && !frame.result?.data) {
      if (frame.error) dropped()
      resolve()
      return
    }
    const value = frame.result?.data?.value
    if (frame.result?.data?.type !== 'tendermint/event/NewBlockEvents' || !value) return
    reportOutcomes(value, handlers)
  }
  socket.onerror = dropped
  socket.onclose = dropped
  return { subscribed, close: () => socket.close() }
}

function reportOutcomes(value: BlockEventsValue, handlers: BlockEventsHandlers): void {
  const height = Number(value.height)
  for (const event of value.events ?? []) {
    if (event.type !== TX_OUTCOME_EVENT) continue
    let hash = ''
    let code = -1
    for (const attribute of event.attributes ?? []) {
      if (attribute.key === 'hash') hash = attribute.value ?? ''
      else if (attribute.key === 'code') code = Number(attribute.value)
    }
    handlers.onOutcome(height, hash, code)
  }
}

function parseJson(data: unknown): unknown {
  try {
    return JSON.parse(
      typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array),
    )
  } catch {
    return null
  }
}
