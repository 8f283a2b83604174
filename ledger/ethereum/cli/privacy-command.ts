/**
 * `vigil privacy …`: writes to PrivacyPolicy — an owner's (or camera's) sensitive attributes,
 * grants to subjects or roles, role assignments — signed with the owner's or the admin's key.
 */
import type { Command } from '../../../runtime/index.ts'
import { requiredFlag, UsageError } from '../../../runtime/index.ts'
import { toBytes32Name } from '../bytes32-name.ts'
import { commandFamily } from './command-family.ts'
import { addressFlag, type OperatorValues, operatorCommand, txLine } from './operator-command.ts'

const ATTRIBUTE_BITS: Record<string, number> = { faces: 1, people: 2, plates: 4, zones: 8 }
const owner = { type: 'string', description: 'owner or camera address (0x…)' } as const
const role = { type: 'string', description: 'role name (1 to 32 UTF-8 bytes)' } as const

/** `faces,plates` → 5; '' or 'none' → 0. */
function attributesFlag(values: OperatorValues, name: string): number {
  const value = values[name]
  if (typeof value !== 'string')
    throw new UsageError(`--${name} is required (e.g. faces,plates or none)`)
  if (value === '' || value === 'none') return 0
  return value.split(',').reduce((mask, attribute) => {
    const bit = ATTRIBUTE_BITS[attribute.trim()]
    if (bit === undefined)
      throw new UsageError(`--${name}: '${attribute}' is not faces, people, plates or zones`)
    return mask | bit
  }, 0)
}

const roleCommand = commandFamily({
  usage: '--subject <address> --role <name>',
  options: { subject: { type: 'string', description: 'subject address (0x…)' }, role },
  read: (values) => [addressFlag(values, 'subject'), requiredFlag(values, 'role')] as const,
  send: ({ privacyPolicy }, fn: 'assignRole' | 'unassignRole', [account, name]) =>
    privacyPolicy.write(fn, [account, toBytes32Name(name)]),
})

/** `vigil privacy`. */
export const privacyCommand: Command = {
  name: 'privacy',
  summary: 'administer PrivacyPolicy: sensitive attributes, grants, roles (owner or admin key)',
  subcommands: [
    operatorCommand({
      name: 'set',
      summary: "set which attributes of an owner's footage are sensitive (owner or admin)",
      usage: '--owner <address> --sensitive faces,people,plates,zones|none',
      options: {
        owner,
        sensitive: { type: 'string', description: 'comma-separated attributes, or none' },
      },
      async act(values, { privacyPolicy }) {
        const account = addressFlag(values, 'owner')
        const mask = attributesFlag(values, 'sensitive')
        return txLine(
          `${account} policy set (mask ${mask})`,
          await privacyPolicy.write('setPolicy', [account, mask]),
        )
      },
    }),
    operatorCommand({
      name: 'grant',
      summary:
        'let a subject or a role see attributes unscrambled; none withdraws (owner or admin)',
      usage: '--owner <address> (--subject <address> | --role <name>) --attributes <list>|none',
      options: {
        owner,
        subject: { type: 'string', description: 'viewer address (0x…)' },
        role,
        attributes: { type: 'string', description: 'comma-separated attributes, or none' },
      },
      async act(values, { privacyPolicy }) {
        const account = addressFlag(values, 'owner')
        const mask = attributesFlag(values, 'attributes')
        if ((values.subject === undefined) === (values.role === undefined)) {
          throw new UsageError('give exactly one of --subject and --role')
        }
        const result =
          values.subject !== undefined
            ? await privacyPolicy.write('setSubjectAccess', [
                account,
                addressFlag(values, 'subject'),
                mask,
              ])
            : await privacyPolicy.write('setRoleAccess', [
                account,
                toBytes32Name(requiredFlag(values, 'role')),
                mask,
              ])
        return txLine(`${account} grant set (mask ${mask})`, result)
      },
    }),
    roleCommand(
      'role-assign',
      'give a subject a role (admin)',
      'assignRole',
      ([account, name]) => `${account} has role ${name}`,
    ),
    roleCommand(
      'role-unassign',
      'take a role from a subject (admin)',
      'unassignRole',
      ([account, name]) => `${account} no longer has role ${name}`,
    ),
  ],
}
