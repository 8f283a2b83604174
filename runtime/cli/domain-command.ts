/**
 * `vigil domain enroll`: sign the enrollment list with the administrator's key.
 */
import { resolve } from 'node:path'
import { type EnrolledHost, hostRoleSchema, signEnrollmentList } from '../rpc/enrollment-list.ts'
import { publicKeyFromBase64, readHostKey } from '../rpc/host-key.ts'
import { type Command, UsageError } from './command.ts'
import { requireFlags, stringFlags } from './command-flags.ts'

const enrollCommand: Command = {
  name: 'enroll',
  summary: 'write the signed list of hosts allowed in the domain',
  usage: '--admin-key <pem> --domain <name> --host <id>:<role>:<publicKeyBase64> … --out <file>',
  options: {
    'admin-key': {
      type: 'string',
      description: 'the administrator’s private key (from vigil host keygen)',
    },
    domain: { type: 'string', description: 'domain name', default: 'local' },
    host: { type: 'string', multiple: true, description: 'one enrolled host: id:role:publicKey' },
    out: { type: 'string', description: 'enrollment file to write' },
  },
  async run({ values, out }) {
    const { 'admin-key': adminKey, out: outFile } = requireFlags(values, ['admin-key', 'out'])
    const hosts: EnrolledHost[] = []
    for (const entry of stringFlags(values, 'host')) {
      const [hostId, role, publicKey] = entry.split(':')
      const parsedRole = hostRoleSchema.safeParse(role)
      if (!hostId || !parsedRole.success || !publicKey) {
        throw new UsageError(`--host ${entry}: use id:role:publicKey with role edge, fog or cloud`)
      }
      try {
        publicKeyFromBase64(publicKey)
      } catch (error) {
        throw new UsageError(`--host ${entry}: ${(error as Error).message}`)
      }
      hosts.push({ hostId, role: parsedRole.data, publicKey })
    }
    if (hosts.length === 0) throw new UsageError('enroll at least one --host')
    const admin = await readHostKey(resolve(adminKey))
    const list = signEnrollmentList(admin, String(values.domain), hosts)
    await Bun.write(resolve(outFile), JSON.stringify(list, null, 2))
    out(`wrote ${resolve(outFile)} (${hosts.length} hosts)`)
    out(
      `administrator public key (put it in every host config as adminPublicKey): ${admin.publicKeyBase64}`,
    )
    return 0
  },
}

export const domainCommand: Command = {
  name: 'domain',
  summary: 'administer the domain: enrollment',
  subcommands: [enrollCommand],
}
