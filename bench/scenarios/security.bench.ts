/**
 * `bun run bench security [--json]`: what authentication and authorization
 * cost on the request path, on a one-fog-host domain per variant (separate
 * processes, loopback):
 *
 * - verified vs open: autocannon (separate process) against
 *   `POST /v1/actors/echo/echo.say` on a secured host (Bearer session token;
 *   the guard verifies it and the access decision, both cached) and on an
 *   open host (no guard), interleaved rounds, median; their ratio;
 * - p50/p99 of verified requests at 5,000 req/s offered;
 * - sign-ins/s: EIP-4361 messages signed beforehand by the load process,
 *   verified by the auth actor (secp256k1 in its worker), tokens signed by
 *   the gateway;
 * - RFC 9421 signed req/s: every request signed (Ed25519) by an enrolled
 *   host key, verified per request, from a separate load process;
 * - revocation latency: `revokeToken` mined on anvil (1 s blocks) → first
 *   403 at the gateway, p50 of 7 (the access-control actor's mirror sees the
 *   event, then the guard's decision cache expires).
 *
 * Identity and rights are real: anvil with the contracts, the identity and
 * access-control actors mirroring them, accounts registered and granted by
 * the chain admin.
 *
 * Options: `--seconds N` per saturation round (default 5), `--rounds N` (default 3).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { signIn } from '../../actors/auth/index.ts'
import { createTestChain } from '../../ledger/ethereum/testing/index.ts'
import { createVigilContracts, toBytes32Name } from '../../ledger/index.ts'
import { type DomainActorSpec, readHostKey, startDomain } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { type HttpLoadResult, runHttpLoad } from '../harness/http-load.ts'
import { runJsonChild } from '../harness/run-json-child.ts'
import { percentile, round } from '../harness/stats.ts'

const ROOT = join(import.meta.dir, '..', '..')
const ECHO = join(ROOT, 'runtime', 'host', 'fixtures', 'echo-actor-fixture.ts')
const IDENTITY = join(ROOT, 'actors', 'identity', 'identity-actor.ts')
const ACCESS = join(ROOT, 'actors', 'access-control', 'access-control-actor.ts')
const ANY_TIME = {
  startSecond: 0,
  endSecond: 0,
  zoneId: `0x${'0'.repeat(64)}` as const,
  nodeTypes: 0,
}
const USER = 4
const CLOUD = 3
const AUTH = join(ROOT, 'actors', 'auth', 'auth-actor.ts')
const SECURE_MAIN = join(ROOT, 'scripts', 'secure-host-main.ts')
const LOAD = join(import.meta.dir, 'security-load-fixture.ts')
const BODY = JSON.stringify({ text: 'hello vigil' })
const HOST_CONFIG = { kernel: { mailboxCapacity: 8192, simulateSerialization: false } }

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name)
  const value = at >= 0 ? Number(args[at + 1]) : Number.NaN
  return Number.isFinite(value) && value > 0 ? value : fallback
}

async function runLoad(mode: string, args: unknown) {
  return runJsonChild<{
    perSecond: number
    ok: number
    failed: number
    p50Ms: number
    p99Ms: number
  }>([LOAD, mode, JSON.stringify(args)], 'load process')
}

const median = (runs: HttpLoadResult[]) =>
  [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[
    Math.floor(runs.length / 2)
  ] as HttpLoadResult

type Log = (line: string) => void
type TestChain = Awaited<ReturnType<typeof createTestChain>>
type Contracts = ReturnType<typeof createVigilContracts>

const echoRead = [{ resource: '/echo', action: 'read', ...ANY_TIME }]
const expiresAt = () => BigInt(Math.floor(Date.now() / 1000) + 3600)

/** An open domain (echo only) and a secure one (echo, auth, identity, access-control on the chain). */
async function startDomains(dir: string, chain: TestChain, issuer: { keyFile: string }) {
  const chainArgs = {
    chainId: chain.anvil.chainId,
    rpcUrl: chain.anvil.rpcUrl,
    addresses: chain.addresses,
    pollingIntervalMs: 20,
  }
  const securityFile = join(dir, 'security.json')
  await Bun.write(securityFile, JSON.stringify({ auditFile: join(dir, 'audit.log') }))
  const secureActors: DomainActorSpec[] = [
    { name: 'echo', module: ECHO, placement: { role: 'fog' } },
    {
      name: 'auth',
      module: AUTH,
      args: { domain: 'local', chainId: chain.anvil.chainId },
      placement: { role: 'fog' },
    },
    { name: 'identity', module: IDENTITY, args: chainArgs, placement: { role: 'fog' } },
    {
      name: 'access-control',
      module: ACCESS,
      args: { ...chainArgs, keyFile: issuer.keyFile },
      placement: { role: 'fog' },
    },
  ]
  const open = await startDomain({
    dir: join(dir, 'open'),
    hosts: [{ id: 'fog-1', role: 'fog', capacity: 16 }],
    actors: [{ name: 'echo', module: ECHO, placement: { role: 'fog' } }],
    hostConfig: HOST_CONFIG,
  })
  const secure = await startDomain({
    dir: join(dir, 'secure'),
    hosts: [{ id: 'fog-1', role: 'fog', capacity: 16 }],
    clients: ['bench'],
    actors: secureActors,
    hostConfig: HOST_CONFIG,
    hostMain: SECURE_MAIN,
    hostArgs: ['--security', securityFile],
  })
  return { open, secure }
}

/** Verified vs open gateway throughput (median of interleaved rounds) and verified at 5,000/s. */
async function measureGateway(
  log: Log,
  urls: { verifiedUrl: string; openUrl: string },
  headers: Record<string, string>,
  rounds: number,
  seconds: number,
) {
  const { verifiedUrl, openUrl } = urls
  log(`verified vs open (autocannon, 64 connections), ${rounds} rounds of ${seconds} s…`)
  await runHttpLoad({
    url: verifiedUrl,
    body: BODY,
    headers,
    connections: 16,
    durationSeconds: 2,
  })
  await runHttpLoad({ url: openUrl, body: BODY, connections: 16, durationSeconds: 2 })
  const verifiedRuns: HttpLoadResult[] = []
  const openRuns: HttpLoadResult[] = []
  for (let i = 0; i < rounds; i++) {
    verifiedRuns.push(
      await runHttpLoad({
        url: verifiedUrl,
        body: BODY,
        headers,
        connections: 64,
        durationSeconds: seconds,
      }),
    )
    openRuns.push(
      await runHttpLoad({
        url: openUrl,
        body: BODY,
        connections: 64,
        durationSeconds: seconds,
      }),
    )
  }
  const verified = median(verifiedRuns)
  const opened = median(openRuns)
  log(
    `  verified: ${verifiedRuns.map((r) => Math.round(r.requestsPerSecond)).join(', ')} req/s (non2xx ${verified.non2xx}); open: ${openRuns.map((r) => Math.round(r.requestsPerSecond)).join(', ')} req/s`,
  )
  const atFive = await runHttpLoad({
    url: verifiedUrl,
    body: BODY,
    headers,
    connections: 50,
    durationSeconds: seconds,
    rate: 5000,
  })
  log(
    `  verified at 5,000 req/s offered: served ${Math.round(atFive.requestsPerSecond)}/s, p50 ${atFive.p50Ms} ms p99 ${atFive.p99Ms} ms, non2xx ${atFive.non2xx}`,
  )
  return { verified, opened, atFive }
}

/** Sign-ins/s and RFC 9421 signed requests/s, each from a separate load process. */
async function measureSignedLoads(
  log: Log,
  gateway: string,
  userKey: Hex,
  verifiedUrl: string,
  benchKeyFile: string,
  seconds: number,
) {
  log('sign-ins (3,000 pre-signed EIP-4361 messages, 32 at a time)…')
  const signIns = await runLoad('sign-in', {
    gateway,
    keys: [userKey],
    count: 3000,
    concurrency: 32,
  })
  log(
    `  ${Math.round(signIns.perSecond)} sign-ins/s, p50 ${round(signIns.p50Ms)} ms p99 ${round(signIns.p99Ms)} ms, failed ${signIns.failed}`,
  )

  log(`RFC 9421 signed requests (64 concurrent, ${seconds} s)…`)
  const signed = await runLoad('signed', {
    url: verifiedUrl,
    keyFile: benchKeyFile,
    keyId: 'host:bench',
    body: BODY,
    seconds,
    concurrency: 64,
  })
  log(
    `  ${Math.round(signed.perSecond)} req/s, p50 ${round(signed.p50Ms)} ms p99 ${round(signed.p99Ms)} ms, failed ${signed.failed}`,
  )
  return { signIns, signed }
}

/** From revokeToken mined to the first 403, seven times (the token re-issued in between). */
async function measureRevocation(
  log: Log,
  admin: Contracts,
  user: Hex,
  status: () => Promise<number>,
) {
  log('revocation latency (revokeToken mined → first 403), 7 times…')
  const latencies: number[] = []
  for (let i = 0; i < 7; i++) {
    if (i > 0) {
      await admin.capabilityAccessControl.write('issueToken', [user, expiresAt(), echoRead])
    }
    await waitFor(async () => (await status()) === 200, { intervalMs: 5 })
    await admin.capabilityAccessControl.write('revokeToken', [user])
    const mined = performance.now()
    await waitFor(async () => (await status()) === 403, { intervalMs: 1 })
    latencies.push(performance.now() - mined)
  }
  const revocation = percentile(latencies, 50)
  log(`  p50 ${round(revocation)} ms, max ${round(Math.max(...latencies))} ms (1 s blocks)`)
  return { revocation, latencies }
}

export const scenario: BenchScenario = {
  name: 'security',
  description:
    'verified vs open gateway requests, sign-ins/s, RFC 9421 signed req/s, revocation latency',
  async run({ log, args }) {
    const seconds = option(args, '--seconds', 5)
    const rounds = option(args, '--rounds', 3)
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-security-'))
    log('anvil (1 s blocks) with the contracts…')
    const chain = await createTestChain({ blockTimeSeconds: 1 })
    const admin = createVigilContracts(chain.admin.clients, chain.addresses)
    const issuer = await chain.newAccount()
    const zone = toBytes32Name('zone-a')
    await admin.capabilityAccessControl.write('addIssuer', [issuer.address])
    await admin.identityRegistry.write('createZone', [zone, chain.admin.address])
    const { open, secure } = await startDomains(dir, chain, issuer)
    try {
      const fog = secure.hosts.get('fog-1')
      if (!fog) throw new Error('secure domain did not start fog-1')
      // One user account, and the bench client's host key bound to a registered address.
      const userKey = generatePrivateKey()
      const user = privateKeyToAccount(userKey).address
      const benchKey = await readHostKey(secure.files.keyFile('bench'))
      const benchAddress = privateKeyToAccount(generatePrivateKey()).address
      await admin.identityRegistry.write('registerNode', [user, USER, zone])
      await admin.identityRegistry.write('registerNode', [benchAddress, CLOUD, zone])
      await admin.identityRegistry.write('bindHostKey', [
        benchAddress,
        toBytes32Name('bench'),
        `0x${Buffer.from(benchKey.publicKeyBase64, 'base64').toString('hex')}`,
      ])
      for (const subject of [user, benchAddress]) {
        await admin.capabilityAccessControl.write('issueToken', [subject, expiresAt(), echoRead])
      }
      // The host reports ready before it has placed its actors, and the mirrors replay the chain.
      const { token } = await waitFor(() => signIn(fog.run.http, userKey as Hex), {
        timeoutMs: 30_000,
        message: 'the first sign-in',
      })
      const headers = { authorization: `Bearer ${token}` }
      const verifiedUrl = `${fog.run.http}/v1/actors/echo/echo.say`
      const openUrl = `${open.gatewayUrl}/v1/actors/echo/echo.say`
      const status = async () =>
        (await fetch(verifiedUrl, { method: 'POST', headers, body: BODY })).status
      await waitFor(async () => (await status()) === 200, { message: 'a verified request' })
      const { verified, opened, atFive } = await measureGateway(
        log,
        { verifiedUrl, openUrl },
        headers,
        rounds,
        seconds,
      )
      const { signIns, signed } = await measureSignedLoads(
        log,
        fog.run.http,
        userKey,
        verifiedUrl,
        secure.files.keyFile('bench'),
        seconds,
      )
      const { revocation, latencies } = await measureRevocation(log, admin, user, status)
      return {
        verified_req_per_s: Math.round(verified.requestsPerSecond),
        open_req_per_s: Math.round(opened.requestsPerSecond),
        verified_ratio: round(verified.requestsPerSecond / opened.requestsPerSecond, 3),
        verified_p50_ms_at_5k: atFive.p50Ms,
        verified_p99_ms_at_5k: atFive.p99Ms,
        signins_per_s: Math.round(signIns.perSecond),
        signin_p99_ms: round(signIns.p99Ms),
        signed_req_per_s: Math.round(signed.perSecond),
        signed_p99_ms: round(signed.p99Ms),
        revocation_ms_p50: round(revocation),
        revocation_ms_max: round(Math.max(...latencies)),
        block_time_ms: 1000,
      }
    } finally {
      await secure.stop()
      await open.stop()
      await chain[Symbol.asyncDispose]()
      await rm(dir, { recursive: true, force: true })
    }
  },
}
