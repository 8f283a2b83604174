/**
 * Test fixture: a stand-in for the identity actor (actors/identity, not on
 * this branch yet) answering `identity.host_of_key` from a table given in its
 * arguments, as the real one answers from the IdentityRegistry. An unknown
 * key is refused with an application error.
 */
import { z } from 'zod'
import { BaseError, defineActor } from '../../../runtime/index.ts'

const hostEntry = z.object({
  publicKey: z.string().describe('base64 of the raw 32-byte Ed25519 key'),
  hostId: z.string(),
  registered: z.boolean(),
})

/** One host the fixture knows. */
export type IdentityFixtureHost = z.infer<typeof hostEntry>

const protocol = {
  'identity.host_of_key': {
    payload: z.object({ publicKey: z.string() }),
    reply: z.object({
      hostId: z.string(),
      address: z.string(),
      registered: z.boolean(),
      nodeType: z.string().optional(),
    }),
    errors: ['IDENTITY_KEY_UNKNOWN'],
    access: { resource: '/identity', action: 'read' },
  },
} as const

/** The fake identity actor; args `{ hosts }`. */
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
      if (!host) {
        throw new BaseError('IDENTITY_KEY_UNKNOWN', 'No enrolled host has this key', {
          kind: 'application',
        })
      }
      return {
        hostId: host.hostId,
        address: `0x${'00'.repeat(20)}`,
        registered: host.registered,
        nodeType: 'edge',
      }
    },
  },
})
