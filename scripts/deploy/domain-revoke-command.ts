/**
 * `vigil domain revoke --admin <admin folder> --host <id>` and
 * `vigil domain add --admin <admin folder> --host <id>:<role>:<publicKey>`:
 * the operator re-signs the enrollment list; every running host learns it
 * without a restart (revoke-host.ts). A revoked host's connections close and
 * its new ones are refused; an added host may join.
 */
import { resolve } from 'node:path'
import {
  type Command,
  hostRoleSchema,
  publicKeyFromBase64,
  requireFlags,
  UsageError,
} from '../../runtime/index.ts'
import { enrollHost, type PushResult, revokeHost } from './revoke-host.ts'

const adminOption = {
  type: 'string',
  description: 'the operator folder (admin/) with operator.pem',
} as const

export const domainRevokeCommand: Command = {
  name: 'revoke',
  summary: 'remove a host from the enrollment list and push the signed list to the running hosts',
  usage: '--admin <admin folder from vigil domain init> --host <id>',
  options: { admin: adminOption, host: { type: 'string', description: 'the host to revoke' } },
  async run({ values, out, err }) {
    const flags = requireFlags(
      values,
      ['admin', 'host'],
      '--admin <folder> and --host <id> are required',
    )
    const { list, pushed } = await revokeHost({
      adminDir: resolve(flags.admin),
      hostId: flags.host,
    })
    out(
      `revoked ${flags.host}: ${list.domain} list signed at ${list.issuedAt} (${list.hosts.length} hosts)`,
    )
    return report(pushed, out, err)
  },
}

export const domainAddCommand: Command = {
  name: 'add',
  summary: 'enroll a host (or a new key for one) and push the signed list to the running hosts',
  usage: '--admin <admin folder> --host <id>:<role>:<publicKeyBase64>',
  options: {
    admin: adminOption,
    host: {
      type: 'string',
      description: "id:role:publicKey (the key 'vigil host keygen' printed on that machine)",
    },
  },
  async run({ values, out, err }) {
    const flags = requireFlags(
      values,
      ['admin', 'host'],
      '--admin <folder> and --host <id>:<role>:<publicKey> are required',
    )
    const [hostId, role, publicKey] = flags.host.split(':')
    const parsedRole = hostRoleSchema.safeParse(role)
    if (!hostId || !parsedRole.success || !publicKey) {
      throw new UsageError(
        `--host ${flags.host}: use id:role:publicKey with role edge, fog or cloud`,
      )
    }
    try {
      publicKeyFromBase64(publicKey)
    } catch (error) {
      throw new UsageError(`--host ${flags.host}: ${(error as Error).message}`)
    }
    const { list, pushed } = await enrollHost({
      adminDir: resolve(flags.admin),
      host: { hostId, role: parsedRole.data, publicKey },
    })
    out(
      `enrolled ${hostId}: ${list.domain} list signed at ${list.issuedAt} (${list.hosts.length} hosts)`,
    )
    return report(pushed, out, err)
  },
}

function report(pushed: PushResult[], out: (text: string) => void, err: (text: string) => void) {
  for (const result of pushed) {
    out(`  ${result.hostId.padEnd(10)} ${result.status}${result.applied ? ' applied' : ''}`)
  }
  if (!pushed.some((result) => result.status === 200)) {
    err(
      'no host took the update: start one and run this again, or copy admin/enrollment.json to the machines',
    )
    return 1
  }
  return 0
}
