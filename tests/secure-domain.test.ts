/**
 * The security composition on real hosts (fog-1 and edge-1 in this process,
 * over TCP, with their real gateways): the auth actor in its worker, the
 * guard and admitCaller from scripts/security-plugins.ts, and chain-free
 * stand-ins for the identity and access-control actors (the anvil-backed
 * run is tests/secure-domain.integration.test.ts). One domain, tests in order.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'
import { signIn, signRequest, signSignInMessage } from '../actors/auth/index.ts'
import { type DomainFiles, type Host, readHostKey, runCommand } from '../runtime/index.ts'
import { FAST_DETECTION, inProcessHosts, rejectionOf, waitFor } from '../runtime/testing/index.ts'
import { securityPlugins } from '../scripts/security-plugins.ts'
import { vigil } from '../scripts/vigil.ts'

setDefaultTimeout(30_000)

const ROOT = join(import.meta.dir, '..')
const WHOAMI = join(ROOT, 'runtime', 'testing', 'whoami-actor-fixture.ts')
const FAKES = join(ROOT, 'actors', 'auth', 'testing', 'directory-actors-fixture.ts')
const AUTH = join(ROOT, 'actors', 'auth', 'auth-actor.ts')

const aliceKey = generatePrivateKey()
const alice = privateKeyToAccount(aliceKey).address.toLowerCase()
const hosts = inProcessHosts()
let dir: string
let files: DomainFiles
let fog: Host
let edge: Host
let auditFile: string

async function start(id: string, role: 'fog' | 'edge', seeds: string[]) {
  return hosts.start(files, {
    id,
    role,
    config: {
      seeds,
      ...FAST_DETECTION,
      actors: [
        {
          name: 'auth',
          module: AUTH,
          args: { domain: 'local', chainId: 31337 },
          placement: { role: 'fog' },
        },
        {
          name: 'identity',
          module: FAKES,
          export: 'fakeIdentityActor',
          placement: { role: 'fog' },
        },
        {
          name: 'access-control',
          module: FAKES,
          export: 'fakeAccessControlActor',
          placement: { role: 'fog' },
        },
        { name: 'who-fog', module: WHOAMI, placement: { role: 'fog', fallback: 'none' } },
        { name: 'who-edge', module: WHOAMI, placement: { role: 'edge', fallback: 'none' } },
      ],
    },
    plugins: securityPlugins({ auditFile }),
  })
}

beforeAll(async () => {
  files = await hosts.files('vigil-secure-', [
    { id: 'fog-1', role: 'fog' },
    { id: 'edge-1', role: 'edge' },
    { id: 'edge-2', role: 'edge' },
  ])
  dir = files.dir
  auditFile = join(dir, 'audit.log')
  fog = await start('fog-1', 'fog', [])
  edge = await start('edge-1', 'edge', [fog.info.rpc])
  await waitFor(
    () => fog.system.has('auth') && fog.system.has('access-control') && edge.system.has('who-edge'),
  )
  await waitFor(() => fog.placement().actors['who-edge']?.hosts.includes('edge-1'))
  await waitFor(() => edge.placement().actors.auth?.hosts.includes('fog-1'))
  await fog.ref('identity').ask('fake.register', { address: alice, zone: 'zone-a' })
  await fog
    .ref('access-control')
    .ask('fake.grant', { subject: alice, resource: '/whoami', action: 'read' })
})

afterAll(() => hosts.stop())

async function call(
  host: Host,
  actor: string,
  message: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${host.info.http}/v1/actors/${actor}/${message}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
let token: string

describe('a secured domain', () => {
  test('answers 401 AUTH_REQUIRED to a request without a credential', async () => {
    expect(await call(fog, 'who-fog', 'whoami.ask', {})).toMatchObject({
      status: 401,
      body: { code: 'AUTH_REQUIRED' },
    })
  })

  test('signs a registered account in and hands its principal to the actor', async () => {
    token = (await signIn(fog.info.http, aliceKey)).token
    const reply = await call(fog, 'who-fog', 'whoami.ask', {}, bearer(token))
    expect(reply.status).toBe(200)
    expect((reply.body.caller as { id: string }).id).toBe(alice)
  })

  test('refuses a replayed sign-in and one for another domain with distinct codes', async () => {
    const nonce = await (await fetch(`${fog.info.http}/v1/auth/nonce`)).json()
    const body = await signSignInMessage(
      aliceKey as Hex,
      nonce as Parameters<typeof signSignInMessage>[1],
    )
    const post = (b: unknown) =>
      fetch(`${fog.info.http}/v1/auth/sign-in`, { method: 'POST', body: JSON.stringify(b) }).then(
        async (r) => ({ status: r.status, code: ((await r.json()) as { code: string }).code }),
      )
    expect((await post(body)).status).toBe(200)
    expect(await post(body)).toEqual({ status: 401, code: 'AUTH_NONCE_REPLAYED' })
    const fresh = (await (await fetch(`${fog.info.http}/v1/auth/nonce`)).json()) as {
      nonce: string
    }
    const message = createSiweMessage({
      address: privateKeyToAccount(aliceKey).address,
      chainId: 31337,
      domain: 'elsewhere.vigil',
      nonce: fresh.nonce,
      uri: 'vigil://local',
      version: '1',
      issuedAt: new Date(),
    })
    const signature = await privateKeyToAccount(aliceKey).signMessage({ message })
    expect(await post({ message, signature })).toEqual({ status: 401, code: 'AUTH_WRONG_AUDIENCE' })
  })

  test('refuses a sign-in by an unregistered address with 403', async () => {
    const error = await rejectionOf(signIn(fog.info.http, generatePrivateKey()))
    expect((error as { code: string }).code).toBe('ACCESS_NOT_REGISTERED')
  })

  test('carries the same principal to an actor on another host, and the token works on that host', async () => {
    // Under a loaded machine the peer link may still be settling: wait for a delivered answer.
    const forwarded = await waitFor(async () => {
      const reply = await call(fog, 'who-edge', 'whoami.ask', {}, bearer(token))
      return reply.status === 200 ? reply : undefined
    })
    expect((forwarded.body.caller as { id: string; claims: Record<string, string> }).id).toBe(alice)
    const direct = await call(edge, 'who-edge', 'whoami.ask', {}, bearer(token))
    expect(direct).toMatchObject({ status: 200, body: { caller: { id: alice } } })
  })

  test('refuses a forwarded principal whose credential is forged or names someone else', async () => {
    const connection = await hosts.peer(files, fog, 'edge-2')
    const send = (caller: unknown) =>
      rejectionOf(
        connection.request('actor.ask', {
          actor: 'who-fog',
          type: 'whoami.ask',
          payload: {},
          caller,
        }),
      )
    const bob = `0x${'b'.repeat(40)}`
    expect(((await send({ id: bob, credential: token })) as { code: string }).code).toBe(
      'CALLER_FORGED',
    )
    expect(
      ((await send({ id: alice, credential: `${token.slice(0, -3)}AAA` })) as { code: string })
        .code,
    ).toBe('CALLER_FORGED')
  })

  test('answers 403 to a right the caller lacks and to administrative messages', async () => {
    expect(await call(fog, 'who-fog', 'whoami.record', {}, bearer(token))).toMatchObject({
      status: 403,
      body: { code: 'ACCESS_DENIED' },
    })
    expect(
      await call(
        fog,
        'access-control',
        'fake.grant',
        { subject: alice, resource: '/fake', action: 'admin' },
        bearer(token),
      ),
    ).toMatchObject({ status: 403, body: { code: 'ACCESS_DENIED' } })
  })

  test('admits an RFC 9421 request signed by an enrolled host key bound to a registered address', async () => {
    const edgeKey = await readHostKey(files.keyFile('edge-1'))
    const hostAddress = `0x${'e'.repeat(40)}`
    await fog.ref('identity').ask('fake.register', {
      address: hostAddress,
      zone: 'zone-a',
      hostKey: edgeKey.publicKeyBase64,
    })
    await fog
      .ref('access-control')
      .ask('fake.grant', { subject: hostAddress, resource: '/whoami', action: 'read' })
    const url = `${fog.info.http}/v1/actors/who-fog/whoami.ask`
    const body = new TextEncoder().encode('{}')
    const headers = new Headers({ 'content-type': 'application/json' })
    const added = signRequest(
      { method: 'POST', url, headers, body },
      {
        keyId: 'host:edge-1',
        privateKey: edgeKey.privateKey,
        created: Math.floor(Date.now() / 1000),
      },
    )
    for (const [name, value] of Object.entries(added)) headers.set(name, value)
    const first = await fetch(url, { method: 'POST', headers, body })
    expect(((await first.json()) as { caller: { id: string } }).caller.id).toBe('host:edge-1')
    const replay = await fetch(url, { method: 'POST', headers, body })
    expect([replay.status, ((await replay.json()) as { code: string }).code]).toEqual([
      401,
      'AUTH_NONCE_REPLAYED',
    ])
  })

  test('refuses a revoked right within the decision cache period', async () => {
    await fog
      .ref('access-control')
      .ask('fake.revoke', { subject: alice, resource: '/whoami', action: 'read' })
    const revokedAt = Date.now()
    await waitFor(
      async () => (await call(fog, 'who-fog', 'whoami.ask', {}, bearer(token))).status === 403,
    )
    expect(Date.now() - revokedAt).toBeLessThan(1000)
    await fog
      .ref('access-control')
      .ask('fake.grant', { subject: alice, resource: '/whoami', action: 'read' })
  })

  test('refuses a signed-out session at once on its host and soon on the others', async () => {
    await waitFor(
      async () => (await call(edge, 'who-edge', 'whoami.ask', {}, bearer(token))).status === 200,
    )
    const out = await fetch(`${fog.info.http}/v1/auth/sign-out`, {
      method: 'POST',
      headers: bearer(token),
    })
    expect(out.status).toBe(200)
    expect(await call(fog, 'who-fog', 'whoami.ask', {}, bearer(token))).toMatchObject({
      status: 401,
      body: { code: 'AUTH_REVOKED' },
    })
    await waitFor(
      async () => (await call(edge, 'who-edge', 'whoami.ask', {}, bearer(token))).status === 401,
    )
  })

  test('refuses a removed address with 403', async () => {
    const fresh = (await signIn(fog.info.http, aliceKey)).token
    await fog.ref('identity').ask('fake.remove', { address: alice })
    await waitFor(
      async () =>
        (await call(fog, 'who-fog', 'whoami.ask', {}, bearer(fresh))).body.code ===
        'ACCESS_NOT_REGISTERED',
    )
  })

  test('signs in from the command line with a key file and prints a token that works', async () => {
    await fog.ref('identity').ask('fake.register', { address: alice, zone: 'zone-a' })
    const keyFile = join(dir, 'alice.key')
    await Bun.write(keyFile, `${aliceKey}\n`)
    const out: string[] = []
    const code = await runCommand(
      vigil,
      ['auth', 'sign-in', '--key', keyFile, '--gateway', fog.info.http],
      {
        out: (text) => out.push(text),
        err: () => {},
      },
    )
    expect([code, out.length]).toEqual([0, 1])
    // A refusal is cached for up to 1 s after the re-registration.
    await waitFor(
      async () =>
        (await call(fog, 'who-fog', 'whoami.ask', {}, bearer(out[0] as string))).status === 200,
    )
  })

  test('wrote the refusals to the audit log without any token', async () => {
    await waitFor(
      async () =>
        (await Bun.file(auditFile).exists()) &&
        (await Bun.file(auditFile).text()).includes('AUTH_REVOKED'),
    )
    const text = await Bun.file(auditFile).text()
    const events = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; code?: string })
    expect(events.some((e) => e.event === 'refused' && e.code === 'AUTH_REQUIRED')).toBe(true)
    expect(events.some((e) => e.event === 'caller_refused' && e.code === 'CALLER_FORGED')).toBe(
      true,
    )
    expect(events.some((e) => e.event === 'sign_in')).toBe(true)
    expect(text).not.toContain(token)
    const tail: string[] = []
    await runCommand(vigil, ['audit', 'tail', '--file', auditFile, '-n', '2'], {
      out: (line) => tail.push(line),
      err: () => {},
    })
    expect(tail.length).toBe(2)
  })
})
