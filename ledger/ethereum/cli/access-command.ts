/**
 * `vigil access …`: the operator's writes to CapabilityAccessControl — appointing issuers (the
 * role the access-control actor's account holds), granting rights to a subject (issuing its
 * token, or adding to a valid one) and revoking — plus an on-chain `check` for diagnosis.
 */
import type { Command } from '../../../runtime/index.ts'
import { requiredFlag, stringFlags, UsageError } from '../../../runtime/index.ts'
import { accessDecisionName } from '../access-decision.ts'
import { encodeAccessRight } from '../access-right-codec.ts'
import { commandFamily } from './command-family.ts'
import { addressFlag, operatorCommand, txLine } from './operator-command.ts'
import { parseRightSpec } from './parse-right-spec.ts'

const issuer = { type: 'string', description: 'issuer address (0x…)' } as const
const subject = { type: 'string', description: 'subject address (0x…), a registered node' } as const

const issuerCommand = commandFamily({
  usage: '--issuer <address>',
  options: { issuer },
  read: (values) => addressFlag(values, 'issuer'),
  send: ({ capabilityAccessControl }, fn: 'addIssuer' | 'removeIssuer', account) =>
    capabilityAccessControl.write(fn, [account]),
})

const subjectCommand = commandFamily({
  usage: '--subject <address>',
  options: { subject },
  read: (values) => addressFlag(values, 'subject'),
  send: ({ capabilityAccessControl }, fn: 'revokeToken', account) =>
    capabilityAccessControl.write(fn, [account]),
})

/** `vigil access`. */
export const accessCommand: Command = {
  name: 'access',
  summary: 'administer CapabilityAccessControl: issuers, grants, revocations (operator key)',
  subcommands: [
    issuerCommand(
      'issuer-add',
      'let an account issue and revoke tokens, e.g. the access-control actor (admin)',
      'addIssuer',
      (account) => `${account} is an issuer`,
    ),
    issuerCommand(
      'issuer-remove',
      'withdraw the issuer role (admin)',
      'removeIssuer',
      (account) => `${account} is no longer an issuer`,
    ),
    operatorCommand({
      name: 'grant',
      summary: 'grant rights to a subject: issues its token, or adds to its valid one (issuer)',
      usage:
        '--subject <address> --right <resource>:<action>[,zone=…][,types=…][,window=…]… [--expires-in <s>]',
      options: {
        subject,
        right: {
          type: 'string',
          multiple: true,
          description: '<resource>:<action>[,zone=<name>][,types=edge+fog][,window=HH:MM-HH:MM]',
        },
        'expires-in': {
          type: 'string',
          description: 'token lifetime from now, seconds',
          default: '3600',
        },
      },
      async act(values, { capabilityAccessControl }) {
        const account = addressFlag(values, 'subject')
        const specs = stringFlags(values, 'right')
        if (specs.length === 0) throw new UsageError('give at least one --right')
        const lifetime = Number(values['expires-in'] ?? '3600')
        if (!Number.isSafeInteger(lifetime) || lifetime <= 0) {
          throw new UsageError('--expires-in must be a positive number of seconds')
        }
        const granted = specs.map(parseRightSpec).map(encodeAccessRight)
        const [version, valid, , , current] = await capabilityAccessControl.read('getToken', [
          account,
        ])
        const key = (r: { resource: string; action: string }) => `${r.resource}\u0000${r.action}`
        const merged = new Map(valid ? current.map((r) => [key(r), r] as const) : [])
        for (const right of granted) merged.set(key(right), right)
        const expiresAt = BigInt(Math.floor(Date.now() / 1000) + lifetime)
        const update = valid && version > 0n
        const result = await capabilityAccessControl.write(update ? 'updateToken' : 'issueToken', [
          account,
          expiresAt,
          [...merged.values()],
        ])
        return txLine(
          `${account} holds ${merged.size} right(s) until ${new Date(Number(expiresAt) * 1000).toISOString()}`,
          result,
        )
      },
    }),
    subjectCommand(
      'revoke',
      "revoke a subject's token (issuer)",
      'revokeToken',
      (account) => `${account}'s token revoked`,
    ),
    operatorCommand({
      name: 'check',
      summary: 'ask the contract whether a subject may do something now (read only)',
      usage: '--subject <address> --resource <path> --action <action>',
      options: {
        subject,
        resource: { type: 'string', description: 'e.g. /enf/records' },
        action: { type: 'string', description: 'e.g. read' },
      },
      async act(values, { capabilityAccessControl }) {
        const decision = await capabilityAccessControl.read('checkAccess', [
          addressFlag(values, 'subject'),
          requiredFlag(values, 'resource'),
          requiredFlag(values, 'action'),
          BigInt(Math.floor(Date.now() / 1000)),
        ])
        return accessDecisionName(decision)
      },
    }),
  ],
}
