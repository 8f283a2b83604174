import { describe, expect, test } from 'bun:test'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'
import type { Caller, GuardTarget } from '../../runtime/index.ts'
import { createMemoryAuditLog } from './audit-log.ts'
import { createAuthGuard } from './create-auth-guard.ts'
import { signRequest } from './http-message-signature.ts'
import { mintSessionToken } from './session-token.ts'
import {
  fakeDirectory,
  fakeHostServices,
  fakeSecurityActors,
  inProcessAuthActor,
} from './testing/index.ts'

const ECHO: GuardTarget = {
  actor: 'echo',
  message: 'echo.say',
  access: { resource: '/echo', action: 'read' },
}
const ADMIN: GuardTarget = {
  actor: 'ethereum',
  message: 'eth.register_node',
  access: { resource: '/identity', action: 'admin' },
}
const PUBLIC: GuardTarget = { actor: 'auth', message: 'auth.nonce', access: 'public' }
const URL_ = 'http://127.0.0.1:1/v1/actors/echo/echo.say'

async function setup() {
  const directory = fakeDirectory()
  const user = privateKeyToAccount(generatePrivateKey())
  const address = user.address.toLowerCase()
  directory.registered.set(address, 'zone-a')
  directory.rights.add(`${address} /echo read`)
  const edgeAddress = '0x00000000000000000000000000000000000000ed'
  const handlers: Parameters<typeof fakeHostServices>[0] = {}
  const host = fakeHostServices(handlers)
  const hostKeys = { [edgeAddress]: host.keys.get('edge-1')?.publicKeyBase64 as string }
  const security = fakeSecurityActors(directory, host.clock, hostKeys)
  const auth = await inProcessAuthActor({ domain: 'local', chainId: 31337 }, host.clock, security)
  Object.assign(handlers, security, { auth })
  const services = host.services
  const audit = createMemoryAuditLog()
  const guard = createAuthGuard(services, { audit })
  const request = (headers: Record<string, string> = {}) =>
    new Request(URL_, { method: 'POST', headers, body: '{"text":"hi"}' })
  const admit = async (req: Request, target: GuardTarget): Promise<Caller | string | undefined> => {
    try {
      const caller = await guard.authenticate(req, target)
      if (target.access !== 'public') await guard.authorize(caller as Caller, target)
      return caller
    } catch (error) {
      return (error as { code?: string }).code
    }
  }
  const signIn = async (
    overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {},
    who = user,
  ) => {
    const nonce = (await (
      await (guard.routes as NonNullable<typeof guard.routes>).request('/nonce')
    ).json()) as {
      nonce: string
      domain: string
    }
    const message = createSiweMessage({
      address: who.address,
      chainId: 31337,
      domain: nonce.domain,
      nonce: nonce.nonce,
      uri: 'vigil://local',
      version: '1',
      issuedAt: new Date(host.clock.now()),
      ...overrides,
    })
    const signature = await who.signMessage({ message })
    return { message, signature }
  }
  const tokenOf = async (body: { message: string; signature: string }) => {
    const response = await (guard.routes as NonNullable<typeof guard.routes>).request('/sign-in', {
      method: 'POST',
      body: JSON.stringify(body),
    })
    return {
      status: response.status,
      body: (await response.json()) as { token?: string; code?: string },
    }
  }
  return {
    guard,
    services,
    directory,
    user,
    address,
    request,
    admit,
    signIn,
    tokenOf,
    audit,
    clock: host.clock,
    edgeAddress,
    host,
    handlers,
  }
}

describe('the auth guard', () => {
  test('refuses a non-public message without a credential and lets an anonymous public one through', async () => {
    const { admit, request } = await setup()
    expect(await admit(request(), ECHO)).toBe('AUTH_REQUIRED')
    expect(await admit(request(), PUBLIC)).toBeUndefined()
  })

  test('signs in with EIP-4361 and admits the session for a right it holds', async () => {
    const { admit, request, signIn, tokenOf, address } = await setup()
    const { body } = await tokenOf(await signIn())
    const caller = (await admit(request({ authorization: `Bearer ${body.token}` }), ECHO)) as Caller
    expect({ id: caller.id, via: caller.claims?.via }).toEqual({ id: address, via: 'session' })
  })

  test('refuses a replayed sign-in nonce', async () => {
    const { signIn, tokenOf } = await setup()
    const signed = await signIn()
    await tokenOf(signed)
    expect((await tokenOf(signed)).body.code).toBe('AUTH_NONCE_REPLAYED')
  })

  test('refuses a sign-in for another domain and one by an unregistered address', async () => {
    const { signIn, tokenOf } = await setup()
    expect((await tokenOf(await signIn({ domain: 'other.vigil' }))).body.code).toBe(
      'AUTH_WRONG_AUDIENCE',
    )
    const stranger = privateKeyToAccount(generatePrivateKey())
    expect((await tokenOf(await signIn({}, stranger))).body.code).toBe('ACCESS_NOT_REGISTERED')
  })

  test('refuses a tampered token, an expired session and a token for another domain with distinct codes', async () => {
    const { admit, request, signIn, tokenOf, clock, services } = await setup()
    const { body } = await tokenOf(await signIn())
    const token = body.token as string
    const tampered = `${token.slice(0, -4)}AAAA`
    expect(await admit(request({ authorization: `Bearer ${tampered}` }), ECHO)).toBe(
      'AUTH_BAD_SIGNATURE',
    )
    const foreign = mintSessionToken(
      {
        iss: 'fog-1',
        sub: `0x${'a'.repeat(40)}`,
        aud: 'elsewhere',
        iat: clock.now() / 1000,
        exp: clock.now() / 1000 + 60,
        sid: 'x',
      },
      services.signingKey,
    )
    expect(await admit(request({ authorization: `Bearer ${foreign}` }), ECHO)).toBe(
      'AUTH_WRONG_AUDIENCE',
    )
    expect(await admit(request({ authorization: 'Basic abc' }), ECHO)).toBe('AUTH_MALFORMED')
    clock.advance(901_000)
    expect(await admit(request({ authorization: `Bearer ${token}` }), ECHO)).toBe('AUTH_EXPIRED')
  })

  test('refuses a right the caller lacks, another zone and admin messages with 403 codes', async () => {
    const { admit, request, signIn, tokenOf, guard } = await setup()
    const { body } = await tokenOf(await signIn())
    const headers = { authorization: `Bearer ${body.token}` }
    const zoneB: GuardTarget = {
      actor: 'cam',
      message: 'cam.view',
      access: { resource: '/zone-b/video', action: 'read' },
    }
    expect(
      await admit(request(headers), { ...ECHO, access: { resource: '/echo', action: 'write' } }),
    ).toBe('ACCESS_DENIED')
    expect(await admit(request(headers), zoneB)).toBe('ACCESS_OTHER_ZONE')
    expect(await admit(request(headers), ADMIN)).toBe('ACCESS_DENIED')
    expect(guard.statusByCode.ACCESS_DENIED).toBe(403)
  })

  test('refuses a signed-out session on its next request', async () => {
    const { admit, request, signIn, tokenOf, guard } = await setup()
    const { body } = await tokenOf(await signIn())
    const headers = { authorization: `Bearer ${body.token}` }
    const out = await guard.routes?.request('/sign-out', { method: 'POST', headers })
    expect(out?.status).toBe(200)
    expect(await admit(request(headers), ECHO)).toBe('AUTH_REVOKED')
  })

  test('asks access-control once per grant period, not per request', async () => {
    const { admit, request, signIn, tokenOf, guard, clock } = await setup()
    const { body } = await tokenOf(await signIn())
    const headers = { authorization: `Bearer ${body.token}` }
    for (let i = 0; i < 50; i++) await admit(request(headers), ECHO)
    expect(guard.decisions.asks).toBe(1)
    clock.advance(100)
    await admit(request(headers), ECHO)
    expect(guard.decisions.asks).toBe(2)
  })

  test('refuses a removed address within the grant period', async () => {
    const { admit, request, signIn, tokenOf, directory, address, clock } = await setup()
    const { body } = await tokenOf(await signIn())
    const headers = { authorization: `Bearer ${body.token}` }
    expect(typeof (await admit(request(headers), ECHO))).toBe('object')
    directory.registered.delete(address)
    clock.advance(100)
    expect(await admit(request(headers), ECHO)).toBe('ACCESS_NOT_REGISTERED')
  })

  test('admits an RFC 9421 request signed by an enrolled host whose key is registered', async () => {
    const { admit, directory, edgeAddress, clock, host } = await setup()
    const signed = () => {
      const body = new TextEncoder().encode('{"text":"hi"}')
      const headers = new Headers({ 'content-type': 'application/json' })
      const added = signRequest(
        { method: 'POST', url: URL_, headers, body },
        {
          keyId: 'host:edge-1',
          privateKey: host.keys.get('edge-1')?.privateKey as never,
          created: Math.floor(clock.now() / 1000),
        },
      )
      for (const [name, value] of Object.entries(added)) headers.set(name, value)
      return headers
    }
    const headers = signed()
    expect(
      await admit(new Request(URL_, { method: 'POST', headers, body: '{"text":"hi"}' }), ECHO),
    ).toBe('ACCESS_NOT_REGISTERED')
    directory.registered.set(edgeAddress, 'zone-a')
    directory.rights.add(`${edgeAddress} /echo read`)
    clock.advance(1000)
    const fresh = signed()
    const caller = (await admit(
      new Request(URL_, { method: 'POST', headers: fresh, body: '{"text":"hi"}' }),
      ECHO,
    )) as Caller
    expect(caller.id).toBe('host:edge-1')
    expect(
      await admit(
        new Request(URL_, { method: 'POST', headers: fresh, body: '{"text":"hi"}' }),
        ECHO,
      ),
    ).toBe('AUTH_NONCE_REPLAYED')
  })

  test('refuses with 503 ACCESS_UNAVAILABLE, never lets through, when access-control cannot be asked', async () => {
    const { admit, request, signIn, tokenOf, handlers, guard } = await setup()
    const { body } = await tokenOf(await signIn())
    delete handlers['access-control']
    expect(await admit(request({ authorization: `Bearer ${body.token}` }), ECHO)).toBe(
      'ACCESS_UNAVAILABLE',
    )
    expect(guard.statusByCode.ACCESS_UNAVAILABLE).toBe(503)
  })

  test('writes every refusal and admin action to the audit log without tokens', async () => {
    const { admit, request, signIn, tokenOf, audit, address } = await setup()
    const { body } = await tokenOf(await signIn())
    await admit(request(), ECHO)
    await admit(request({ authorization: `Bearer ${body.token}` }), ADMIN)
    const refusals = audit.entries.filter((e) => e.event === 'refused')
    expect(refusals.map((e) => [e.principal, e.code])).toEqual([
      ['anonymous', 'AUTH_REQUIRED'],
      [address, 'ACCESS_DENIED'],
    ])
    expect(JSON.stringify(audit.entries)).not.toContain(body.token as string)
  })
})

describe('admitCaller', () => {
  test('re-derives a forwarded principal from its session token', async () => {
    const { guard, signIn, tokenOf, address } = await setup()
    const { body } = await tokenOf(await signIn())
    const admitted = await guard.admitCaller(
      { id: address, credential: body.token, claims: { zone: 'forged' } },
      'edge-1',
    )
    expect({ id: admitted.id, zone: admitted.claims?.zone }).toEqual({
      id: address,
      zone: 'zone-a',
    })
  })

  test('refuses a forwarded principal without a credential or with one naming someone else', async () => {
    const { guard, signIn, tokenOf } = await setup()
    const { body } = await tokenOf(await signIn())
    const codeOf = async (caller: Caller) => {
      try {
        await guard.admitCaller(caller, 'edge-1')
        return 'none'
      } catch (error) {
        return (error as { code?: string }).code
      }
    }
    expect(await codeOf({ id: `0x${'b'.repeat(40)}` })).toBe('CALLER_REFUSED')
    expect(await codeOf({ id: `0x${'b'.repeat(40)}`, credential: body.token })).toBe(
      'CALLER_FORGED',
    )
    expect(await codeOf({ id: `0x${'b'.repeat(40)}`, credential: 'garbage' })).toBe('CALLER_FORGED')
  })
})
