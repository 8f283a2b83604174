/**
 * Client process of the privacy bench: `bun privacy-live-clients.ts <url> <seconds> <token>...`
 * opens one `/live` stream per token, counts the multipart parts each
 * receives after a 1 s warm-up for `<seconds>`, and prints `{fps: [...]}`.
 * Parts are skipped by Content-Length without copying their bytes.
 */
const [url, secondsText, ...tokens] = Bun.argv.slice(2)
const seconds = Number(secondsText)
const CRLF2 = Buffer.from('\r\n\r\n')

export {}

async function watch(token: string, from: number, until: number, signal: AbortSignal) {
  const response = await fetch(url as string, {
    headers: { authorization: `Bearer ${token}` },
    signal,
  })
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  let head: Buffer = Buffer.alloc(0)
  let remaining = 0
  let counted = 0
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      let chunk: Buffer = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      while (chunk.length > 0) {
        if (remaining > 0) {
          const take = Math.min(remaining, chunk.length)
          remaining -= take
          chunk = chunk.subarray(take)
          const now = performance.now()
          if (remaining === 0 && now >= from && now <= until) counted++
          continue
        }
        head = head.length > 0 ? Buffer.concat([head, chunk]) : chunk
        const end = head.indexOf(CRLF2)
        if (end < 0) {
          head = Buffer.from(head)
          break
        }
        const length = Number(
          /Content-Length: (\d+)/i.exec(head.subarray(0, end).toString('latin1'))?.[1],
        )
        remaining = length + 2
        chunk = head.subarray(end + 4)
        head = Buffer.alloc(0)
      }
    }
  } catch {
    // aborted at the end
  }
  return counted / seconds
}

const stop = new AbortController()
const from = performance.now() + 1_000
const until = from + seconds * 1_000
const runs = tokens.map((token) => watch(token, from, until, stop.signal))
setTimeout(() => stop.abort(), until - performance.now() + 50)
console.log(JSON.stringify({ fps: await Promise.all(runs) }))
