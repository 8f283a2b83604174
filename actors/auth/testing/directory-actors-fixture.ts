/**
 * Chain-free stand-ins for the identity and access-control actors, for host
 * tests of the guard: `identity` answers from a table of registered
 * addresses (and bound host keys), `access-control` from a table of rights
 * (asking `identity` for registration and zone like the real one), and
 * `fake.*` messages change the tables (what chain events do for the real
 * actors). Not for deployment.
 */
import { z } from 'zod'
import { defineActor } from '../../../runtime/index.ts'

const ADMIN = { resource: '/fake', action: 'admin' } as const
const READ = { resource: '/identity', action: 'read' } as const

type Identity = { zones: Map<string, string>; hostKeys: Map<string, string> }

export const fakeIdentityActor = defineActor({
  name: 'fake-identity',
  version: 1,
  protocol: {
    'identity.resolve': {
      payload: z.object({ address: z.string() }),
      reply: z.object({}).passthrough(),
      access: READ,
    },
    'identity.host_of_key': {
      payload: z.object({ publicKey: z.string() }),
      reply: z.object({}).passthrough(),
      access: READ,
    },
    'fake.register': {
      payload: z.object({ address: z.string(), zone: z.string(), hostKey: z.string().optional() }),
      reply: z.null(),
      access: ADMIN,
    },
    'fake.remove': { payload: z.object({ address: z.string() }), reply: z.null(), access: ADMIN },
  },
  init: (): Identity => ({ zones: new Map(), hostKeys: new Map() }),
  receive: {
    'identity.resolve': ({ address }, state) => {
      const zone = state.zones.get(address.toLowerCase())
      return zone
        ? { address, registered: true, nodeType: 'user', zone, block: 1 }
        : { address, registered: false, block: 1 }
    },
    'identity.host_of_key': ({ publicKey }, state) => {
      const address = state.hostKeys.get(publicKey)
      const registered = address !== undefined && state.zones.has(address)
      return { hostId: registered ? 'h' : '', address: address ?? '', registered, block: 1 }
    },
    'fake.register': ({ address, zone, hostKey }, state) => {
      state.zones.set(address.toLowerCase(), zone)
      if (hostKey) state.hostKeys.set(hostKey, address.toLowerCase())
      return null
    },
    'fake.remove': ({ address }, state) => {
      state.zones.delete(address.toLowerCase())
      return null
    },
  },
})

type Rights = { granted: Set<string> }

export const fakeAccessControlActor = defineActor({
  name: 'fake-access-control',
  version: 1,
  protocol: {
    'access.check': {
      payload: z.object({ subject: z.string(), resource: z.string(), action: z.string() }),
      reply: z.object({}).passthrough(),
      access: { resource: '/access', action: 'read' },
    },
    'fake.grant': {
      payload: z.object({ subject: z.string(), resource: z.string(), action: z.string() }),
      reply: z.null(),
      access: ADMIN,
    },
    'fake.revoke': {
      payload: z.object({ subject: z.string(), resource: z.string(), action: z.string() }),
      reply: z.null(),
      access: ADMIN,
    },
  },
  init: (): Rights => ({ granted: new Set() }),
  receive: {
    'access.check': async ({ subject, resource, action }, state, context) => {
      const validUntilMs = context.clock.now() + 60_000
      const who = await context.ask<{ registered: boolean; zone?: string }>(
        'identity',
        'identity.resolve',
        { address: subject },
      )
      if (!who.registered)
        return { allowed: false, code: 'ACCESS_NOT_REGISTERED', validUntilMs, block: 1 }
      if (resource.startsWith('/zones/') && !resource.startsWith(`/zones/${who.zone}/`)) {
        return { allowed: false, code: 'ACCESS_OTHER_ZONE', validUntilMs, block: 1 }
      }
      return state.granted.has(`${subject} ${resource} ${action}`)
        ? { allowed: true, validUntilMs, block: 1 }
        : { allowed: false, code: 'ACCESS_DENIED', validUntilMs, block: 1 }
    },
    'fake.grant': ({ subject, resource, action }, state) => {
      state.granted.add(`${subject.toLowerCase()} ${resource} ${action}`)
      return null
    },
    'fake.revoke': ({ subject, resource, action }, state) => {
      state.granted.delete(`${subject.toLowerCase()} ${resource} ${action}`)
      return null
    },
  },
})
