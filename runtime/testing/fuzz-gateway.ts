/**
 * Fuzzing a live gateway with malformed HTTP requests (fast-check cases):
 * bad JSON, payloads of the wrong types, deep nesting, huge headers, odd
 * timeouts, bad content types, oversized bodies, slow (trickled) bodies,
 * unknown routes and methods. Each answer must be a 2xx or a 4xx whose body
 * is JSON `{code, message}`; a 5xx, a body without a code or a dropped
 * connection is unclear. Requests the HTTP server itself refuses before the
 * app (e.g. 431 for oversized headers) are counted by status.
 */
import fc from 'fast-check'
import { countOutcome, type FuzzReport, newFuzzReport, recordFinding } from './fuzz-report.ts'

export type HttpCase = {
  method: string
  path: string
  headers: Record<string, string>
  body?: string | undefined
  /** Send the body in this many trickled chunks. */
  slowChunks?: number | undefined
}

const ROUTES = [
  '/v1/actors/echo/echo.say',
  '/v1/actors/echo/echo.nope',
  '/v1/actors/missing/x',
  '/v1/actors/echo',
  '/v1/admin/status',
  '/v1/openapi.json',
  '/healthz',
  '/%ZZ',
  '/v1/actors/echo/echo.say?x=%',
]

const nested = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'))
  .map(
    ([depth, open]) =>
      open.repeat(depth) + (open === '[' ? ']'.repeat(depth) : `1${'}'.repeat(depth)}`),
  )

const body = fc.oneof(
  fc.json().map((json) => JSON.stringify({ text: JSON.parse(json) })),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }).map((text) => JSON.stringify({ text })),
  fc.string({ maxLength: 100 }),
  fc.json().map((json) => json.slice(0, Math.max(0, json.length - 1))),
  nested,
  fc.constantFrom('', '{', 'null', '{"text": "\\ud800"}', '{"text":"a","__proto__":{"x":1}}'),
  fc
    .integer({ min: 1_048_000, max: 1_100_000 })
    .map((n) => JSON.stringify({ text: 'x'.repeat(n) })),
)

const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
  fc.integer({ min: 1, max: 40_000 }).map((n) => 'h'.repeat(n)),
)

/** One malformed (or valid) request. */
export const httpCase: fc.Arbitrary<HttpCase> = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  path: fc.constantFrom(...ROUTES),
  headers: fc.record(
    {
      'content-type': fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '',
      ),
      'x-vigil-timeout-ms': fc.oneof(
        fc.constantFrom('NaN', '-1', '0', '1e308', 'Infinity', '0.001', '1.5'),
        fc.string({ maxLength: 8 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
      ),
      'x-fuzz': headerValue,
      authorization: fc.constantFrom('Bearer x', 'Basic', ''),
    },
    { requiredKeys: [] },
  ),
  body: fc.option(body, { nil: undefined }),
  slowChunks: fc.oneof(
    { weight: 200, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 5 }) },
  ),
})

export type GatewayFuzzOptions = {
  seed: number
  requests: number
  /** Requests in flight at once. Default 32. */
  concurrency?: number | undefined
}

/**
 * fast-check cases sampled at once: small, because a tenth of the cases carry a body just
 * over 1 MiB (a batch of 1,000 held ~100 MB of the fuzzer's own strings).
 */
const HTTP_BATCH = 100

/** Sends `requests` cases to `baseUrl`; returns what the answers were. */
export async function fuzzGateway(
  baseUrl: string,
  options: GatewayFuzzOptions,
): Promise<FuzzReport> {
  const report = newFuzzReport(options.seed)
  const concurrency = options.concurrency ?? 32
  let next = 0
  for (let batch = 0; next < options.requests; batch++) {
    const cases = fc.sample(httpCase, { seed: options.seed + batch, numRuns: HTTP_BATCH })
    let index = 0
    const lane = async () => {
      while (index < cases.length && next < options.requests) {
        const item = cases[index++] as HttpCase
        next++
        await sendCase(baseUrl, item, report, `seed ${options.seed + batch} case ${index - 1}`)
      }
    }
    await Promise.all(Array.from({ length: concurrency }, lane))
  }
  return report
}

async function sendCase(baseUrl: string, item: HttpCase, report: FuzzReport, where: string) {
  report.cases++
  const hasBody = item.body !== undefined && item.method !== 'GET'
  let response: Response
  try {
    response = await fetch(baseUrl + item.path, {
      method: item.method,
      headers: item.headers,
      body: hasBody
        ? item.slowChunks
          ? slowBody(item.body ?? '', item.slowChunks)
          : item.body
        : undefined,
      ...(item.slowChunks ? { duplex: 'half' } : {}),
    } as RequestInit)
  } catch (error) {
    countOutcome(report, 'connection dropped')
    recordFinding(report, 'unclear', `${where}: ${item.method} ${item.path}: ${String(error)}`)
    return
  }
  await classify(response, item, report, where)
}

async function classify(response: Response, item: HttpCase, report: FuzzReport, where: string) {
  const text = await response.text()
  if (response.status < 300) {
    countOutcome(report, `HTTP ${response.status}`)
    return
  }
  let code: unknown
  let message: unknown
  try {
    ;({ code, message } = JSON.parse(text) as { code?: unknown; message?: unknown })
  } catch {}
  const typed = typeof code === 'string' && typeof message === 'string' && message.length > 0
  // The HTTP server refuses some requests before the app runs (e.g. oversized headers).
  const server = !typed && (response.status === 431 || response.status === 413)
  countOutcome(
    report,
    `HTTP ${response.status} ${typed ? code : server ? '(server)' : '(untyped)'}`,
  )
  // A deadline the client itself set below the service time is answered 504 ASK_TIMEOUT.
  const clientDeadline = code === 'ASK_TIMEOUT' && item.headers['x-vigil-timeout-ms'] !== undefined
  if ((response.status >= 500 && !clientDeadline) || (!typed && !server)) {
    recordFinding(
      report,
      'unclear',
      `${where}: ${item.method} ${item.path} → ${response.status} ${text.slice(0, 120)}`,
    )
  }
}

function slowBody(text: string, chunks: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  const size = Math.ceil(bytes.length / chunks)
  let sent = 0
  return new ReadableStream({
    async pull(controller) {
      if (sent >= bytes.length) {
        controller.close()
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
      controller.enqueue(bytes.subarray(sent, sent + size))
      sent += size
    },
  })
}
