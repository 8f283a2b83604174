/**
 * The access-control actor: mirrors IdentityRegistry and CapabilityAccessControl (replayed from
 * deployment, then followed block by block; a token's rights are read at the block of its
 * event), answers `access.check` from memory, and issues what the domain policy grants on
 * `access.request` from its own issuer account — an account holding only the contract's issuer
 * role (`vigil access issuer-add`), never the admin role.
 */
import type { Hex } from 'viem'
import { z } from 'zod'
import { capabilityAccessControl, identityRegistry } from '../../contracts/index.ts'
import { decodeAccessRight, encodeAccessRight } from '../../ledger/index.ts'
import { defineActor, parseConfig } from '../../runtime/index.ts'
import {
  type ChainMirror,
  chainOptionsSchema,
  requireContractAddresses,
  startChainMirror,
  writeChainContract,
} from '../chain/index.ts'
import { createIdentityMirror, type IdentityMirror } from '../identity/index.ts'
import { accessControlProtocol } from './access-control-protocol.ts'
import { accessPolicySchema, decideRequest, type PolicyRight } from './access-policy.ts'
import { callerIdOf } from './caller-of.ts'
import { type CapabilityToken, tokenFromChain } from './capability-token.ts'
import { AccessCallerRequiredError, AccessDeniedError, AccessNotRegisteredError } from './errors.ts'
import { evaluateCapability } from './evaluate-capability.ts'

export const accessControlArgsSchema = requireContractAddresses(
  chainOptionsSchema.extend({
    keyFile: z.string().min(1).describe("the issuer account's private key file"),
    policy: accessPolicySchema.default({ tokenLifetimeSeconds: 3_600, rules: [] }),
    maxCacheMs: z
      .number()
      .int()
      .nonnegative()
      .default(1_000)
      .describe(
        'longest validUntilMs ahead of now, ms; bounds how long callers cache; default 1,000',
      ),
  }),
)

export type AccessControlArgs = z.input<typeof accessControlArgsSchema>

export type AccessControlState = {
  readonly identity: IdentityMirror
  readonly tokens: Map<string, CapabilityToken>
  readonly chain: ChainMirror
  readonly policy: z.output<typeof accessPolicySchema>
  readonly maxCacheMs: number
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const TOKEN_EVENTS = new Set(['TokenIssued', 'TokenUpdated', 'TokenRevoked'])

export const accessControlActor = defineActor<
  AccessControlState,
  typeof accessControlProtocol,
  AccessControlArgs
>({
  name: 'access-control',
  version: 1,
  protocol: accessControlProtocol,

  async init(rawArgs, context) {
    const args = parseConfig(accessControlArgsSchema, rawArgs, 'access-control init arguments')
    const identity = createIdentityMirror()
    const tokens = new Map<string, CapabilityToken>()
    const chain = await startChainMirror(
      {
        chain: args,
        keyFile: args.keyFile,
        contracts: (addresses) => [
          {
            name: 'IdentityRegistry',
            address: addresses.identityRegistry,
            abi: identityRegistry.abi,
          },
          {
            name: 'CapabilityAccessControl',
            address: addresses.capabilityAccessControl,
            abi: capabilityAccessControl.abi,
          },
        ],
        async onLogs(logs, through, { connection, addresses }) {
          const touched = new Set<string>()
          for (const log of logs) {
            identity.apply(log)
            if (log.contract === 'CapabilityAccessControl' && TOKEN_EVENTS.has(log.eventName)) {
              touched.add(String(log.args.subject).toLowerCase())
            }
          }
          // Events carry no rights: read each touched token as of the end of the range.
          for (const subject of touched) {
            const raw = await connection.publicClient.readContract({
              address: addresses.capabilityAccessControl,
              abi: capabilityAccessControl.abi,
              functionName: 'getToken',
              args: [subject as Hex],
              blockNumber: through,
            })
            tokens.set(subject, tokenFromChain(raw))
          }
          identity.advance(through)
        },
      },
      context,
    )
    return { identity, tokens, chain, policy: args.policy, maxCacheMs: args.maxCacheMs }
  },

  terminate(state) {
    state.chain.follower.stop()
  },

  receive: {
    'access.check'({ subject, resource, action }, state, context) {
      const key = subject.toLowerCase()
      const node = ADDRESS.test(subject) ? state.identity.node(key) : undefined
      const nowMs = context.clock.now()
      const decision =
        node && resource === '/access' && action === 'request'
          ? { allowed: true, validUntilMs: nowMs + state.maxCacheMs }
          : evaluateCapability({
              node,
              token: state.tokens.get(key),
              resource,
              action,
              nowMs,
              maxCacheMs: state.maxCacheMs,
            })
      return { ...decision, block: state.identity.block }
    },

    async 'access.request'({ rights }, state, context) {
      const caller = callerIdOf(context)
      if (caller === undefined) throw new AccessCallerRequiredError()
      const subject = caller.toLowerCase()
      const resolved = ADDRESS.test(subject) ? state.identity.resolve(subject) : undefined
      if (!resolved?.registered) throw new AccessNotRegisteredError(caller)
      const { granted, refused } = decideRequest(
        state.policy,
        { address: subject, nodeType: resolved.nodeType ?? '', zone: resolved.zone ?? '' },
        rights,
      )
      if (refused.length > 0) {
        throw new AccessDeniedError(
          `the domain policy does not grant ${refused.map((r) => `'${r.action}' on '${r.resource}'`).join(', ')} to ${resolved.nodeType} nodes of zone ${resolved.zone}; ask an operator to change the policy`,
          { meta: { subject, refused } },
        )
      }
      const current = state.tokens.get(subject)
      const merged = mergeRights(
        current?.valid ? current.rights.map(decodeAccessRight) : [],
        granted,
      )
      const expiresAt = Math.floor(context.clock.now() / 1000) + state.policy.tokenLifetimeSeconds
      const { txHash, blockNumber } = await writeChainContract(state.chain.connection, {
        contract: 'CapabilityAccessControl',
        address: state.chain.addresses.capabilityAccessControl,
        abi: capabilityAccessControl.abi,
        functionName: current?.valid ? 'updateToken' : 'issueToken',
        args: [subject, BigInt(expiresAt), merged.map(encodeAccessRight)],
      })
      // Reply once the mirror holds the new token, so a following access.check sees it.
      while (state.identity.block < Number(blockNumber)) await state.chain.follower.catchUp()
      context.log('access_granted', { subject, rights: granted.length, txHash })
      return { subject, rights: merged, expiresAt, txHash, block: state.identity.block }
    },
  },
})

function mergeRights(
  existing: readonly PolicyRight[],
  granted: readonly PolicyRight[],
): PolicyRight[] {
  const key = (right: PolicyRight) => `${right.resource}\u0000${right.action}`
  const byKey = new Map(existing.map((right) => [key(right), right]))
  for (const right of granted) byKey.set(key(right), right)
  return [...byKey.values()]
}
