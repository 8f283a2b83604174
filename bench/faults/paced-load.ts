/**
 * A paced HTTP load that remembers every request, for fault runs: it posts
 * `ledger.apply {id}` with a fresh id per request at a fixed rate from its
 * own process (so the load does not share the host's event loop), and
 * records for each id when it was sent, when it was answered, the status and
 * the error code. A request is acknowledged when its answer is 2xx and
 * carries its own id. `runPacedLoad` starts the process and decodes its
 * report; `bun bench/faults/paced-load.ts <options-json>` is the child.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type PacedLoadOptions = {
  /** Full URL of the message route, e.g. `${gateway}/v1/actors/ledger/ledger.apply`. */
  url: string
  rate: number
  seconds: number
  /** Ids run from `firstId` up. */
  firstId: number
  /** Requests in flight at most (the load falls behind the rate beyond it). */
  maxInFlight: number
  /**
   * Instead of `url` and `{"id"}` alone: request `id` goes to `targets[id % length]` with its
   * `fields` beside the id, and a 2xx answer acknowledges it only if it also says `"ok": true`.
   * With `alternates` (the same route at other gateways) a request that gets no HTTP answer at
   * all (connection refused or reset) is sent to the next alternate, as a load balancer fails
   * over: only for idempotent requests, since a reset one may have run.
   */
  targets?:
    | readonly {
        url: string
        fields: Record<string, unknown>
        alternates?: readonly string[] | undefined
      }[]
    | undefined
}

export type PacedLoadResult = {
  sent: number
  /** Per request (index = id − firstId): wall-clock ms sent and answered, status (0 = no answer). */
  sentAt: Float64Array
  doneAt: Float64Array
  status: Int16Array
  /** Error code → count, for answers that were not acknowledged. */
  codes: Record<string, number>
  /** 2xx answers that carried another id (a duplicated or misrouted reply). */
  mismatched: number
  /** Requests sent again to an alternate after getting no answer (see `targets`). */
  failovers: number
}

const now = () => performance.timeOrigin + performance.now()

/** Posts to the first of `urls` that answers at all (`failedOver` per skip); throws the last network error. */
async function postFirst(urls: readonly string[], body: string, failedOver: () => void) {
  for (let i = 0; ; i++) {
    try {
      return await fetch(urls[i] as string, { method: 'POST', body })
    } catch (error) {
      if (i + 1 >= urls.length) throw error
      failedOver()
    }
  }
}

async function drive(options: PacedLoadOptions, out: string): Promise<void> {
  const total = Math.ceil(options.rate * options.seconds)
  const sentAt = new Float64Array(total)
  const doneAt = new Float64Array(total)
  const status = new Int16Array(total)
  const codes: Record<string, number> = {}
  let mismatched = 0
  let failovers = 0
  let sent = 0
  let inFlight = 0
  const started = now()
  const targets = options.targets?.map((t) => ({
    urls: [t.url, ...(t.alternates ?? [])],
    fields: JSON.stringify(t.fields).slice(1),
  }))
  const request = (id: number) => {
    const target = targets?.[id % targets.length]
    if (!target) return { urls: [options.url], body: `{"id":${id}}` }
    return {
      urls: target.urls,
      body: `{"id":${id}${target.fields === '}' ? '' : ','}${target.fields}`,
    }
  }
  const one = async (index: number) => {
    const id = options.firstId + index
    sentAt[index] = now()
    try {
      const { urls, body: sent } = request(id)
      const response = await postFirst(urls, sent, () => failovers++)
      const body = (await response.json()) as { id?: number; code?: string; ok?: boolean }
      status[index] = response.status
      const wrong = body.id !== id || (targets !== undefined && body.ok !== true)
      if (response.status < 300 && wrong) mismatched++
      if (response.status >= 300)
        codes[body.code ?? String(response.status)] =
          (codes[body.code ?? String(response.status)] ?? 0) + 1
    } catch (error) {
      codes.NETWORK = (codes.NETWORK ?? 0) + 1
      void error
    }
    doneAt[index] = now()
    inFlight--
  }
  const all: Promise<void>[] = []
  while (sent < total) {
    const due = Math.min(total, Math.floor(((now() - started) * options.rate) / 1000))
    while (sent < due && inFlight < options.maxInFlight) {
      inFlight++
      all.push(one(sent++))
    }
    await Bun.sleep(1)
  }
  const report = setInterval(() => {
    if (process.env.VIGIL_LOAD_DEBUG)
      console.error(`paced load: ${sent} sent, ${inFlight} in flight`)
  }, 1000)
  await Promise.all(all)
  clearInterval(report)
  const b64 = (array: ArrayBufferView) =>
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64')
  await Bun.write(
    out,
    JSON.stringify({
      sent,
      sentAt: b64(sentAt),
      doneAt: b64(doneAt),
      status: b64(status),
      codes,
      mismatched,
      failovers,
    }),
  )
}

/** Runs the paced load in its own process and returns its per-request record. */
export async function runPacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-load-'))
  const out = join(dir, 'report.json')
  try {
    const child = Bun.spawn([process.execPath, import.meta.path, JSON.stringify(options), out], {
      stdout: 'inherit',
      stderr: 'inherit',
    })
    const code = await child.exited
    if (code !== 0) throw new Error(`paced load exited with ${code}`)
    const raw = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>
    const bytes = (key: string) => {
      const buffer = Buffer.from(raw[key] as string, 'base64')
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)
    }
    return {
      sent: raw.sent as number,
      sentAt: new Float64Array(bytes('sentAt')),
      doneAt: new Float64Array(bytes('doneAt')),
      status: new Int16Array(bytes('status')),
      codes: raw.codes as Record<string, number>,
      mismatched: raw.mismatched as number,
      failovers: (raw.failovers as number | undefined) ?? 0,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) {
  const [options, out] = process.argv.slice(2)
  await drive(JSON.parse(options as string) as PacedLoadOptions, out as string)
}
