/**
 * A test client's reader of a server-sent-events response (the gateway's
 * `/v1/events/*` routes): the events' ids and JSON data, in order.
 */

/** Reads SSE `data:` lines until `count` arrived, then cancels the stream. */
export async function readEvents(
  response: Response,
  count: number,
): Promise<{ id: string; data: unknown }[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const events: { id: string; data: unknown }[] = []
  let text = ''
  while (events.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
    let end = text.indexOf('\n\n')
    while (end >= 0) {
      const block = text.slice(0, end)
      text = text.slice(end + 2)
      const id = /^id: (.*)$/m.exec(block)?.[1] ?? ''
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (data !== undefined) events.push({ id, data: JSON.parse(data) })
      end = text.indexOf('\n\n')
    }
  }
  await reader.cancel()
  return events
}
