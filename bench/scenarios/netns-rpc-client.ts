/**
 * Run by `bun run bench domain` inside one machine's network namespace, with
 * that machine's own key and enrollment (its host stopped meanwhile):
 * `bun netns-rpc-client.ts <machine folder> <peer id> <peer host:port> <seconds>`.
 * Sends `echo.say` to the echo actor on the peer over one authenticated RPC
 * connection across the veth/bridge — a window of 1,024 outstanding requests
 * for throughput, then one at a time for round trips — and prints one JSON line.
 */
import { join } from 'node:path'
import {
  createRpcNode,
  createTcpTransport,
  loadHostConfig,
  readEnrollmentList,
  readHostKey,
} from '../../runtime/index.ts'
import { percentile } from '../harness/stats.ts'

const [folder, peerId, address, secondsText] = Bun.argv.slice(2) as [string, string, string, string]
const config = await loadHostConfig({ file: join(folder, 'host.json') })
const client = createRpcNode({
  transport: createTcpTransport(),
  hostId: config.id,
  key: await readHostKey(config.keyFile),
  enrollment: await readEnrollmentList(config.enrollmentFile, config.adminPublicKey),
  handler: { request: () => null },
})
const [hostname, port] = address.split(':') as [string, string]
const connection = await client.connect({ hostname, port: Number(port), expectedPeerId: peerId })
const payload = { text: 'hello vigil', seq: 1 }
const ask = () =>
  connection.request(
    'actor.ask',
    { actor: 'echo', type: 'echo.say', payload, timeoutMs: 30_000 },
    { timeoutMs: 30_000 },
  )

const errors: Record<string, number> = {}

async function throughput(seconds: number, window: number) {
  let done = 0
  let failed = 0
  const started = performance.now()
  const until = started + seconds * 1000
  const lane = async () => {
    while (performance.now() < until) {
      try {
        await ask()
        done++
      } catch (error) {
        failed++
        const code = (error as { code?: string }).code ?? 'unknown'
        errors[code] = (errors[code] ?? 0) + 1
      }
    }
  }
  await Promise.all(Array.from({ length: window }, lane))
  return { perSecond: done / ((performance.now() - started) / 1000), failed }
}

await throughput(0.5, 64)
const runs = [] as { perSecond: number; failed: number }[]
for (let i = 0; i < 3; i++) runs.push(await throughput(Number(secondsText), 1024))
runs.sort((a, b) => a.perSecond - b.perSecond)
const samples: number[] = []
for (let i = 0; i < 2000; i++) {
  const t0 = performance.now()
  await ask()
  samples.push((performance.now() - t0) * 1000)
}
console.log(
  JSON.stringify({
    msgsPerSecond: Math.round((runs[1] as { perSecond: number }).perSecond),
    rounds: runs.map((r) => Math.round(r.perSecond)),
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
    errors,
    rttP50Us: Math.round(percentile(samples, 50)),
    rttP99Us: Math.round(percentile(samples, 99)),
  }),
)
client.close()
process.exit(0)
