/**
 * The privacy-policy actor: the domain's PrivacyPolicy contract mirrored in memory (replayed from
 * deployment, then followed block by block), answering `privacy.visible` for the surveillance
 * and viewer services without a chain call. Read-only: policies are set by owners or operators
 * with `vigil privacy set`.
 */
import { privacyPolicy } from '../../contracts/index.ts'
import { defineActor } from '../../runtime/index.ts'
import {
  type EventMirrorArgs,
  type EventMirrorState,
  eventMirrorArgsSchema,
  eventMirrorLifecycle,
} from '../chain/index.ts'
import { createPrivacyMirror, type PrivacyMirror } from './privacy-mirror.ts'
import { privacyProtocol } from './privacy-protocol.ts'

export const privacyPolicyArgsSchema = eventMirrorArgsSchema

export type PrivacyPolicyArgs = EventMirrorArgs

export type PrivacyPolicyState = EventMirrorState<PrivacyMirror>

export const privacyPolicyActor = defineActor<
  PrivacyPolicyState,
  typeof privacyProtocol,
  PrivacyPolicyArgs
>({
  name: 'privacy-policy',
  version: 1,
  protocol: privacyProtocol,
  ...eventMirrorLifecycle({
    actor: 'privacy-policy',
    contract: (addresses) => ({
      name: 'PrivacyPolicy',
      address: addresses.privacyPolicy,
      abi: privacyPolicy.abi,
    }),
    createMirror: createPrivacyMirror,
  }),

  receive: {
    'privacy.visible': ({ viewer, owner, camera }, { mirror }) => ({
      attributes: mirror.visible(viewer, owner, camera),
      block: mirror.block,
    }),
  },
})
