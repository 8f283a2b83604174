/**
 * `GET /v1/events/{actor}/{message}`: a message that answers `{ after }`
 * with `{ events, cursor }` (a feed) streamed as server-sent events (Hono's
 * `streamSSE`). The request is admitted exactly as a POST of that message
 * would be (deployed, then the guard's authenticate/authorize against the
 * message's declared access), so only callers allowed to send the message
 * see its events. The gateway polls the feed on the caller's behalf every
 * `pollMs` while it is idle; each event is one SSE `data:` line (JSON) with
 * the feed cursor as its `id`, so a client resumes with `Last-Event-ID`
 * (or `?after=`).
 */
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { validateMessage } from '../actor/validate-message.ts'
import { admittedTarget } from './actor-request.ts'
import { errorResponse } from './error-response.ts'
import { BadRequestError } from './errors.ts'
import type { GatewayBackend } from './gateway-backend.ts'
import type { Guard } from './gateway-guard.ts'

export type EventStreamOptions = {
  backend: GatewayBackend
  guard: Guard | undefined
  /** How often an idle feed is asked again, ms. */
  pollMs: number
  /** Deadline of each feed request, ms. */
  timeoutMs: number
}

type Feed = { events: unknown[]; cursor: number }

function feedOf(actor: string, message: string, reply: unknown): Feed {
  const feed = reply as Partial<Feed> | null
  if (!feed || !Array.isArray(feed.events) || typeof feed.cursor !== 'number')
    throw new BadRequestError(
      `${actor}/${message} is not a feed: it must answer { events: [...], cursor: number } to { after }`,
    )
  return feed as Feed
}

function startCursor(c: Context): number {
  const raw = c.req.header('last-event-id') ?? c.req.query('after') ?? '0'
  const cursor = Number(raw)
  if (!Number.isInteger(cursor) || cursor < 0)
    throw new BadRequestError(`the event cursor must be a non-negative integer, got ${raw}`)
  return cursor
}

/** Builds the handler; refusals before the stream starts are thrown (answered as JSON errors). */
export function eventStream(options: EventStreamOptions) {
  const { backend, guard } = options
  return async function eventStream(c: Context): Promise<Response> {
    const { target, protocol, caller } = await admittedTarget(c, backend, guard)
    let cursor = startCursor(c)
    const ask = async () => {
      const payload = validateMessage(target.actor, protocol, target.message, { after: cursor })
      const reply = await backend.ask(target.actor, target.message, payload, {
        timeoutMs: options.timeoutMs,
        caller,
      })
      return feedOf(target.actor, target.message, reply)
    }
    const first = await ask()
    return streamSSE(
      c,
      async (stream) => {
        // A comment first: Bun's server sends the headers with the first body bytes.
        await stream.write(': open\n\n')
        let feed: Feed | undefined = first
        while (!stream.aborted) {
          feed ??= await ask()
          for (const event of feed.events)
            await stream.writeSSE({
              event: target.message,
              id: String(feed.cursor),
              data: JSON.stringify(event),
            })
          cursor = feed.cursor
          if (feed.events.length === 0) await stream.sleep(options.pollMs)
          feed = undefined
        }
      },
      async (error, stream) => {
        await stream.writeSSE({ event: 'error', data: JSON.stringify(errorResponse(error).body) })
      },
    )
  }
}
