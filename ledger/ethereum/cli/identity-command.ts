/**
 * `vigil identity …`: the operator's writes to the IdentityRegistry — zones, masters, nodes and
 * host keys — signed with the operator's own key (the admin or a zone master), never through a
 * host. `show` reads a node back.
 */
import { type Hex, toHex } from 'viem'
import type { Command } from '../../../runtime/index.ts'
import { requiredFlag, UsageError } from '../../../runtime/index.ts'
import { NODE_TYPES, nodeTypeNumber } from '../access-decision.ts'
import { fromBytes32Name, toBytes32Name } from '../bytes32-name.ts'
import { commandFamily } from './command-family.ts'
import { addressFlag, operatorCommand, txLine } from './operator-command.ts'

const zone = { type: 'string', description: 'zone name (1 to 32 UTF-8 bytes)' } as const
const node = { type: 'string', description: 'node address (0x…)' } as const
const master = { type: 'string', description: 'master address (0x…)' } as const

function nodeTypeFlag(value: unknown): 'edge' | 'fog' | 'cloud' | 'user' {
  if (value === 'edge' || value === 'fog' || value === 'cloud' || value === 'user') return value
  throw new UsageError('--type must be edge, fog, cloud or user')
}

function publicKeyFlag(value: string): Hex {
  const raw = Buffer.from(value, 'base64')
  if (raw.length !== 32 || raw.toString('base64') !== value) {
    throw new UsageError(
      '--public-key must be a base64 raw 32-byte ed25519 key (as in the enrollment list)',
    )
  }
  return toHex(raw)
}

const zoneMasterCommand = commandFamily({
  usage: '--zone <name> --master <address>',
  options: { zone, master },
  read: (values) => [requiredFlag(values, 'zone'), addressFlag(values, 'master')] as const,
  send: ({ identityRegistry }, fn: 'createZone' | 'addMaster' | 'removeMaster', [name, account]) =>
    identityRegistry.write(fn, [toBytes32Name(name), account]),
})

const zoneCommand = commandFamily({
  usage: '--zone <name>',
  options: { zone },
  read: (values) => requiredFlag(values, 'zone'),
  send: ({ identityRegistry }, fn: 'removeZone', name) =>
    identityRegistry.write(fn, [toBytes32Name(name)]),
})

const nodeCommand = commandFamily({
  usage: '--node <address>',
  options: { node },
  read: (values) => addressFlag(values, 'node'),
  send: ({ identityRegistry }, fn: 'removeNode', address) => identityRegistry.write(fn, [address]),
})

/** `vigil identity`. */
export const identityCommand: Command = {
  name: 'identity',
  summary: 'administer the IdentityRegistry: zones, masters, nodes, host keys (operator key)',
  subcommands: [
    zoneMasterCommand(
      'zone-create',
      'create a zone with its first master (admin)',
      'createZone',
      ([zoneName]) => `zone ${zoneName} created`,
    ),
    zoneCommand(
      'zone-remove',
      'remove an empty zone (admin)',
      'removeZone',
      (zoneName) => `zone ${zoneName} removed`,
    ),
    zoneMasterCommand(
      'master-add',
      'add a master to a zone (admin or a master of the zone)',
      'addMaster',
      ([zoneName, account]) => `${account} masters zone ${zoneName}`,
    ),
    zoneMasterCommand(
      'master-remove',
      'remove a master from a zone (admin)',
      'removeMaster',
      ([zoneName, account]) => `${account} no longer masters zone ${zoneName}`,
    ),
    operatorCommand({
      name: 'node-add',
      summary: 'register a node in a zone (admin or a master of the zone)',
      usage: '--node <address> --type edge|fog|cloud|user --zone <name>',
      options: {
        node,
        zone,
        type: { type: 'string', description: 'node type: edge, fog, cloud or user' },
      },
      async act(values, { identityRegistry }) {
        const address = addressFlag(values, 'node')
        const type = nodeTypeFlag(values.type)
        const name = requiredFlag(values, 'zone')
        const result = await identityRegistry.write('registerNode', [
          address,
          nodeTypeNumber(type),
          toBytes32Name(name),
        ])
        return txLine(`${address} registered as ${type} node of zone ${name}`, result)
      },
    }),
    operatorCommand({
      name: 'node-move',
      summary: 'move a node to another zone (admin, or a master of both zones)',
      usage: '--node <address> --zone <name>',
      options: { node, zone },
      async act(values, { identityRegistry }) {
        const address = addressFlag(values, 'node')
        const name = requiredFlag(values, 'zone')
        const result = await identityRegistry.write('moveNode', [address, toBytes32Name(name)])
        return txLine(`${address} moved to zone ${name}`, result)
      },
    }),
    nodeCommand(
      'node-remove',
      'remove a node and its host key binding (admin, a master of its zone, or the node)',
      'removeNode',
      (address) => `${address} removed`,
    ),
    operatorCommand({
      name: 'host-bind',
      summary: "bind a host's id and ed25519 key to its registered node account (admin or master)",
      usage: '--node <address> --host-id <id> --public-key <base64>',
      options: {
        node,
        'host-id': { type: 'string', description: 'host id (as in the enrollment list)' },
        'public-key': {
          type: 'string',
          description: 'host ed25519 public key, base64 raw 32 bytes',
        },
      },
      async act(values, { identityRegistry }) {
        const address = addressFlag(values, 'node')
        const hostId = requiredFlag(values, 'host-id')
        const result = await identityRegistry.write('bindHostKey', [
          address,
          toBytes32Name(hostId),
          publicKeyFlag(requiredFlag(values, 'public-key')),
        ])
        return txLine(`host ${hostId} bound to ${address}`, result)
      },
    }),
    operatorCommand({
      name: 'show',
      summary: "print a node's type, zone and host binding (read only)",
      usage: '--node <address>',
      options: { node },
      async act(values, { identityRegistry }) {
        const address = addressFlag(values, 'node')
        const [type, zoneId] = await identityRegistry.read('getNode', [address])
        const [hostId, publicKey] = await identityRegistry.read('getHostKey', [address])
        return JSON.stringify({
          node: address,
          registered: type !== 0,
          nodeType: NODE_TYPES[type] ?? 'none',
          zone: fromBytes32Name(zoneId),
          hostId: fromBytes32Name(hostId),
          publicKey: /^0x0+$/.test(publicKey)
            ? ''
            : Buffer.from(publicKey.slice(2), 'hex').toString('base64'),
        })
      },
    }),
  ],
}
