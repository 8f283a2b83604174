/**
 * `vigil domain revoke --admin <admin folder> --host <id>`: the host leaves
 * the enrollment list; every running host learns it without a restart,
 * closes the host's connections and refuses its new ones (revoke-host.ts).
 */
import { resolve } from 'node:path'
import { type Command, UsageError } from '../../runtime/index.ts'
import { revokeHost } from './revoke-host.ts'

export const domainRevokeCommand: Command = {
  name: 'revoke',
  summary: 'remove a host from the enrollment list and push the signed list to the running hosts',
  usage: '--admin <admin folder from vigil domain init> --host <id>',
  options: {
    admin: { type: 'string', description: 'the operator folder (admin/) with operator.pem' },
    host: { type: 'string', description: 'the host to revoke' },
  },
  async run({ values, out, err }) {
    if (typeof values.admin !== 'string' || typeof values.host !== 'string') {
      throw new UsageError('--admin <folder> and --host <id> are required')
    }
    const { list, pushed } = await revokeHost({
      adminDir: resolve(values.admin),
      hostId: values.host,
    })
    out(
      `revoked ${values.host}: enrollment of ${list.domain} signed at ${list.issuedAt} (${list.hosts.length} hosts)`,
    )
    for (const result of pushed)
      out(`  ${result.hostId.padEnd(10)} ${result.status}${result.applied ? ' applied' : ''}`)
    if (!pushed.some((result) => result.status === 200)) {
      err(
        'no host took the update: start one and run revoke again, or copy admin/enrollment.json to the machines',
      )
      return 1
    }
    return 0
  },
}
