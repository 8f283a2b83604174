/**
 * Alerts as they arrive: the decision actor's feed as server-sent events
 * (`GET /v1/events/{actor}/decision.events`), read with fetch so the
 * request carries the Bearer token (EventSource cannot). Resumes after the
 * last event id when the stream drops.
 */

/** Parses SSE text into events; returns the unparsed rest. */
export function parseSse(buffer, onEvent) {
  const blocks = buffer.split('\n\n')
  const rest = blocks.pop() ?? ''
  for (const block of blocks) {
    const event = { event: 'message', id: undefined, data: '' }
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'data') event.data += event.data ? `\n${value}` : value
      else if (field === 'event') event.event = value
      else if (field === 'id') event.id = value
    }
    if (event.data) onEvent(event)
  }
  return rest
}

/**
 * Follows a feed until `signal` aborts; `onAlert(alert)` per event,
 * `onError(error)` on a refusal or a dropped stream (then retries after `retryMs`).
 */
export async function followFeed(api, path, { signal, onAlert, onError, retryMs = 1000 }) {
  let after = 0
  while (!signal.aborted) {
    try {
      const response = await api.fetch(`${path}?after=${after}`, { signal })
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer = parseSse(buffer + value, (event) => {
          if (event.id) after = Number(event.id)
          if (event.event === 'error') onError(new Error(event.data))
          else onAlert(JSON.parse(event.data))
        })
      }
    } catch (error) {
      if (signal.aborted) return
      onError(error)
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs))
  }
}
