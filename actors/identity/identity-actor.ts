/**
 * The identity actor: the domain's IdentityRegistry mirrored in memory (replayed from the
 * contract's deployment block at start, then followed block by block), answering who an address
 * or a host key is without a chain call per question. Read-only: it holds no key; zones, nodes
 * and host keys are changed by operators with `vigil identity …`.
 */
import type { z } from 'zod'
import { identityRegistry } from '../../contracts/index.ts'
import { defineActor, parseConfig } from '../../runtime/index.ts'
import {
  type ChainMirror,
  chainOptionsSchema,
  requireContractAddresses,
  startEventMirror,
} from '../chain/index.ts'
import { createIdentityMirror, type IdentityMirror } from './identity-mirror.ts'
import { identityProtocol } from './identity-protocol.ts'

/** Init arguments: the chain and where its contracts are (see actors/chain). */
export const identityArgsSchema = requireContractAddresses(chainOptionsSchema)

export type IdentityArgs = z.input<typeof identityArgsSchema>

export type IdentityState = { readonly mirror: IdentityMirror; readonly chain: ChainMirror }

export const identityActor = defineActor<IdentityState, typeof identityProtocol, IdentityArgs>({
  name: 'identity',
  version: 1,
  protocol: identityProtocol,

  async init(rawArgs, context) {
    const args = parseConfig(identityArgsSchema, rawArgs, 'identity init arguments')
    const mirror = createIdentityMirror()
    const chain = await startEventMirror(
      args,
      (addresses) => ({
        name: 'IdentityRegistry',
        address: addresses.identityRegistry,
        abi: identityRegistry.abi,
      }),
      mirror,
      context,
    )
    return { mirror, chain }
  },

  terminate(state) {
    state.chain.follower.stop()
  },

  receive: {
    'identity.resolve': ({ address }, { mirror }) => mirror.resolve(address),
    'identity.same_zone': ({ a, b }, { mirror }) => mirror.sameZone(a, b),
    'identity.host_of_key': ({ publicKey }, { mirror }) => mirror.hostOfKey(publicKey),
  },
})
