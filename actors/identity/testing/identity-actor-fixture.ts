/**
 * Test fixture: a stand-in for the identity actor (actors/identity) that
 * answers `identity.host_of_key` from a table given in its arguments, as the
 * real one (actors/identity) answers from the IdentityRegistry's host-key
 * bindings. An unknown key answers as the real one does: hostId '' and
 * registered false.
 */
import { z } from 'zod'
import { defineActor } from '../../../runtime/index.ts'

const hostEntry = z.object({
  publicKey: z.string().describe('base64 of the raw 32-byte Ed25519 key'),
  hostId: z.string(),
  registered: z.boolean(),
  zone: z.string().optional(),
})

/** One enrolled host the fixture knows. */
export type IdentityFixtureHost = z.input<typeof hostEntry>

const protocol = {
  'identity.host_of_key': {
    payload: z.object({ publicKey: z.string() }),
    reply: z.object({
      hostId: z.string(),
      address: z.string(),
      registered: z.boolean(),
      nodeType: z.string().optional(),
      zone: z.string().optional(),
    }),
    access: { resource: '/identity', action: 'read' },
  },
} as const

/** The fake identity actor; args `{ hosts: IdentityFixtureHost[] }`. */
export const identityActorFixture = defineActor<
  Map<string, IdentityFixtureHost>,
  typeof protocol,
  { hosts: IdentityFixtureHost[] }
>({
  name: 'identity-fixture',
  version: 1,
  protocol,
  init: (args) => new Map(args.hosts.map((host) => [host.publicKey, hostEntry.parse(host)])),
  receive: {
    'identity.host_of_key': ({ publicKey }, hosts) => {
      const host = hosts.get(publicKey)
      if (!host) return { hostId: '', address: '', registered: false }
      return {
        hostId: host.hostId,
        address: `0x${'00'.repeat(20)}`,
        registered: host.registered,
        nodeType: 'edge',
        ...(host.zone === undefined ? {} : { zone: host.zone }),
      }
    },
  },
})
