/**
 * `vigil domain init --hosts <file> --out <folder>`: one folder per machine
 * and the operator's folder, from a domain description (init-domain.ts).
 */
import { relative, resolve } from 'node:path'
import { type Command, requireFlags } from '../../runtime/index.ts'
import { loadDomainDescription } from './domain-description.ts'
import { initDomain } from './init-domain.ts'

export const domainInitCommand: Command = {
  name: 'init',
  summary:
    'create every machine’s folder (keys, enrollment, CometBFT home, host config) from a domain description',
  usage: '--hosts <domain.yaml|json> --out <folder>',
  options: {
    hosts: {
      type: 'string',
      description: 'domain description: hosts, addresses, roles, validators, Ethereum',
    },
    out: { type: 'string', description: 'folder to create (must not hold a domain)' },
  },
  async run({ values, out }) {
    const flags = requireFlags(
      values,
      ['hosts', 'out'],
      '--hosts <file> and --out <folder> are required',
    )
    const description = await loadDomainDescription(resolve(flags.hosts))
    const layout = await initDomain({ description, out: flags.out })
    out(`domain ${description.domain} (chain ${layout.chainId}) in ${layout.out}`)
    out(`  operator folder (keep offline, back up): ${relative(process.cwd(), layout.adminDir)}`)
    for (const host of description.hosts) {
      out(
        `  ${host.id.padEnd(10)} ${host.role.padEnd(5)} ${host.validator ? 'validator ' : '          '}copy ${relative(process.cwd(), layout.machineDir(host.id))} to ${host.address}, then: vigil host start --config <that folder>`,
      )
    }
    return 0
  },
}
