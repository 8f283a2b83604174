/**
 * Load generator for `bun run bench security`, run as its own process so it
 * does not share the gateway's event loop (autocannon cannot sign):
 *
 * - `sign-in {gateway, keys, count, concurrency}`: fetches `count` nonces,
 *   signs every EIP-4361 message beforehand (the wallet's cost is not the
 *   server's), then posts the sign-ins `concurrency` at a time;
 * - `signed {url, keyFile, keyId, body, seconds, concurrency}`: RFC 9421
 *   signed requests (Ed25519, fresh nonce and created each) for `seconds`.
 *
 * Prints one JSON line: `{perSecond, ok, failed, p50Ms, p99Ms}`.
 */
import type { Hex } from 'viem'
import { type SignInNonce, signRequest, signSignInMessage } from '../../actors/auth/index.ts'
import { readHostKey } from '../../runtime/index.ts'
import { percentile } from '../harness/stats.ts'

type Result = { perSecond: number; ok: number; failed: number; p50Ms: number; p99Ms: number }

async function lanes(count: number, lane: () => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: count }, lane))
}

async function signIns(args: { gateway: string; keys: Hex[]; count: number; concurrency: number }) {
  const nonces: SignInNonce[] = []
  await lanes(16, async () => {
    while (nonces.length < args.count) {
      nonces.push((await (await fetch(`${args.gateway}/v1/auth/nonce`)).json()) as SignInNonce)
    }
  })
  const bodies = await Promise.all(
    nonces.map((nonce, i) => signSignInMessage(args.keys[i % args.keys.length] as Hex, nonce)),
  )
  const samples: number[] = []
  let ok = 0
  let failed = 0
  let next = 0
  const started = performance.now()
  await lanes(args.concurrency, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]
      const t0 = performance.now()
      const response = await fetch(`${args.gateway}/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      await response.arrayBuffer()
      samples.push(performance.now() - t0)
      if (response.ok) ok++
      else failed++
    }
  })
  return summary(ok, failed, samples, performance.now() - started)
}

async function signed(args: {
  url: string
  keyFile: string
  keyId: string
  body: string
  seconds: number
  concurrency: number
}) {
  const { privateKey } = await readHostKey(args.keyFile)
  const body = new TextEncoder().encode(args.body)
  const samples: number[] = []
  let ok = 0
  let failed = 0
  const started = performance.now()
  const until = started + args.seconds * 1000
  await lanes(args.concurrency, async () => {
    while (performance.now() < until) {
      const headers = new Headers({ 'content-type': 'application/json' })
      const added = signRequest(
        { method: 'POST', url: args.url, headers, body },
        { keyId: args.keyId, privateKey, created: Math.floor(Date.now() / 1000) },
      )
      for (const [name, value] of Object.entries(added)) headers.set(name, value)
      const t0 = performance.now()
      const response = await fetch(args.url, { method: 'POST', headers, body })
      await response.arrayBuffer()
      samples.push(performance.now() - t0)
      if (response.ok) ok++
      else failed++
    }
  })
  return summary(ok, failed, samples, performance.now() - started)
}

function summary(ok: number, failed: number, samples: number[], elapsedMs: number): Result {
  return {
    perSecond: ok / (elapsedMs / 1000),
    ok,
    failed,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
  }
}

const [mode, json] = Bun.argv.slice(2)
const args = JSON.parse(json ?? '{}')
const result = mode === 'sign-in' ? await signIns(args) : await signed(args)
console.log(JSON.stringify(result))
process.exit(0)
