/**
 * The privacy-policy actor: the domain's PrivacyPolicy contract mirrored in memory (replayed from
 * deployment, then followed block by block), answering `privacy.visible` for the surveillance
 * and viewer services without a chain call. Read-only: policies are set by owners or operators
 * with `vigil privacy set`.
 */
import type { z } from 'zod'
import { privacyPolicy } from '../../contracts/index.ts'
import { defineActor, parseConfig } from '../../runtime/index.ts'
import {
  type ChainMirror,
  chainOptionsSchema,
  requireContractAddresses,
  startEventMirror,
} from '../chain/index.ts'
import { createPrivacyMirror, type PrivacyMirror } from './privacy-mirror.ts'
import { privacyProtocol } from './privacy-protocol.ts'

export const privacyPolicyArgsSchema = requireContractAddresses(chainOptionsSchema)

export type PrivacyPolicyArgs = z.input<typeof privacyPolicyArgsSchema>

export type PrivacyPolicyState = { readonly mirror: PrivacyMirror; readonly chain: ChainMirror }

export const privacyPolicyActor = defineActor<
  PrivacyPolicyState,
  typeof privacyProtocol,
  PrivacyPolicyArgs
>({
  name: 'privacy-policy',
  version: 1,
  protocol: privacyProtocol,

  async init(rawArgs, context) {
    const args = parseConfig(privacyPolicyArgsSchema, rawArgs, 'privacy-policy init arguments')
    const mirror = createPrivacyMirror()
    const chain = await startEventMirror(
      args,
      (addresses) => ({
        name: 'PrivacyPolicy',
        address: addresses.privacyPolicy,
        abi: privacyPolicy.abi,
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
    'privacy.visible': ({ viewer, owner, camera }, { mirror }) => ({
      attributes: mirror.visible(viewer, owner, camera),
      block: mirror.block,
    }),
  },
})
