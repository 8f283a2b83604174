/**
 * Frames of a `multipart/x-mixed-replace` response (MJPEG/PNG over HTTP),
 * read with fetch so the request carries the Bearer token: each part's
 * bytes, by its Content-Length when given, else up to the next boundary.
 */

const CRLF2 = [13, 10, 13, 10]

function indexOf(bytes, pattern, from = 0) {
  outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer
    return i
  }
  return -1
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** The boundary named by a Content-Type header. */
export function boundaryOf(contentType) {
  const match = /boundary="?([^";]+)"?/i.exec(contentType ?? '')
  if (!match) throw new Error(`not a multipart stream: ${contentType}`)
  return match[1]
}

/** Takes every complete part off `buffer`; returns the parts and the rest. */
export function takeParts(buffer, boundary) {
  const marker = new TextEncoder().encode(`--${boundary}`)
  const parts = []
  let rest = buffer
  for (;;) {
    const start = indexOf(rest, marker)
    if (start < 0) return { parts, rest }
    const headerEnd = indexOf(rest, CRLF2, start)
    if (headerEnd < 0) return { parts, rest }
    const headers = new TextDecoder().decode(rest.subarray(start + marker.length, headerEnd))
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'image/jpeg'
    const length = Number(/content-length:\s*(\d+)/i.exec(headers)?.[1] ?? Number.NaN)
    const bodyStart = headerEnd + 4
    let bodyEnd
    if (Number.isFinite(length)) {
      if (rest.length < bodyStart + length) return { parts, rest }
      bodyEnd = bodyStart + length
    } else {
      const next = indexOf(rest, marker, bodyStart)
      if (next < 0) return { parts, rest }
      bodyEnd = next - 2
    }
    parts.push({ type, bytes: rest.slice(bodyStart, bodyEnd) })
    rest = rest.subarray(bodyEnd)
  }
}

/** Calls `onFrame(blob)` for every frame until `signal` aborts or the stream ends. */
export async function readFrames(response, { signal, onFrame }) {
  const boundary = boundaryOf(response.headers.get('content-type'))
  const reader = response.body.getReader()
  let buffer = new Uint8Array(0)
  while (!signal.aborted) {
    const { value, done } = await reader.read()
    if (done) return
    const taken = takeParts(concat(buffer, value), boundary)
    buffer = taken.rest
    for (const part of taken.parts) onFrame(new Blob([part.bytes], { type: part.type }))
  }
  await reader.cancel()
}
