/**
 * The identity actor: the domain's IdentityRegistry mirrored in memory (replayed from the
 * contract's deployment block at start, then followed block by block), answering who an address
 * or a host key is without a chain call per question. Read-only: it holds no key; zones, nodes
 * and host keys are changed by operators with `vigil identity …`.
 */
import { identityRegistry } from '../../contracts/index.ts'
import { defineActor } from '../../runtime/index.ts'
import {
  type EventMirrorArgs,
  type EventMirrorState,
  eventMirrorArgsSchema,
  eventMirrorLifecycle,
} from '../chain/index.ts'
import { createIdentityMirror, type IdentityMirror } from './identity-mirror.ts'
import { identityProtocol } from './identity-protocol.ts'

/** Init arguments: the chain and where its contracts are (see actors/chain). */
export const identityArgsSchema = eventMirrorArgsSchema

export type IdentityArgs = EventMirrorArgs

export type IdentityState = EventMirrorState<IdentityMirror>

export const identityActor = defineActor<IdentityState, typeof identityProtocol, IdentityArgs>({
  name: 'identity',
  version: 1,
  protocol: identityProtocol,
  ...eventMirrorLifecycle({
    actor: 'identity',
    contract: (addresses) => ({
      name: 'IdentityRegistry',
      address: addresses.identityRegistry,
      abi: identityRegistry.abi,
    }),
    createMirror: createIdentityMirror,
  }),

  receive: {
    'identity.resolve': ({ address }, { mirror }) => mirror.resolve(address),
    'identity.same_zone': ({ a, b }, { mirror }) => mirror.sameZone(a, b),
    'identity.host_of_key': ({ publicKey }, { mirror }) => mirror.hostOfKey(publicKey),
  },
})
