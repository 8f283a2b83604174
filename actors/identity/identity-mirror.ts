/**
 * The IdentityRegistry as a map in memory, rebuilt from its events (ZoneCreated, MasterAdded,
 * NodeJoined, NodeMoved, HostKeyBound, …) in chain order. Pure: the identity actor and the
 * access-control actor feed it from followContractLogs; tests feed it by hand. Addresses are
 * kept in lower case, zones and keys as the contract's bytes32 hex.
 */
import type { Hex } from 'viem'
import { fromBytes32Name, NODE_TYPES } from '../../ledger/index.ts'
import type { ChainLog } from '../chain/index.ts'
import type { HostOfKeyReply, NodeTypeName, ResolveReply } from './identity-protocol.ts'

/** A registered node as the mirror knows it. */
export type MirroredNode = { readonly nodeType: NodeTypeName; readonly zoneId: Hex }

type HostKeyBinding = { readonly hostId: string; readonly publicKey: Hex }

export type IdentityMirror = {
  /** The block the mirror is complete through (-1 before the first read). */
  readonly block: number
  apply(log: ChainLog): void
  /** Marks the mirror complete through `block`. */
  advance(block: bigint): void
  node(address: string): MirroredNode | undefined
  resolve(address: string): ResolveReply
  sameZone(a: string, b: string): { sameZone: boolean; zone?: string; block: number }
  /** `publicKey`: base64 of the raw 32-byte ed25519 key. */
  hostOfKey(publicKey: string): HostOfKeyReply
}

/** What the events build: zones' masters, nodes, host keys both ways. */
type MirrorMaps = {
  readonly masters: Map<Hex, Set<string>>
  readonly nodes: Map<string, MirroredNode>
  readonly hostKeys: Map<string, HostKeyBinding>
  readonly keyOwners: Map<Hex, string>
}

/** One handler per IdentityRegistry event, each applying it to the maps. */
function eventHandlers(maps: MirrorMaps): Record<string, (args: Record<string, unknown>) => void> {
  const { masters, nodes, hostKeys, keyOwners } = maps
  const dropHostKey = (node: string) => {
    const binding = hostKeys.get(node)
    if (binding) keyOwners.delete(binding.publicKey)
    hostKeys.delete(node)
  }
  return {
    ZoneCreated: (args) => masters.set(args.zoneId as Hex, new Set()),
    ZoneRemoved: (args) => masters.delete(args.zoneId as Hex),
    MasterAdded: (args) => masters.get(args.zoneId as Hex)?.add(lower(args.master)),
    MasterRemoved: (args) => masters.get(args.zoneId as Hex)?.delete(lower(args.master)),
    NodeJoined: (args) =>
      nodes.set(lower(args.node), {
        nodeType: (NODE_TYPES[Number(args.nodeType)] ?? 'none') as NodeTypeName,
        zoneId: args.zoneId as Hex,
      }),
    NodeLeft: (args) => {
      nodes.delete(lower(args.node))
      dropHostKey(lower(args.node))
    },
    NodeMoved: (args) => {
      const node = nodes.get(lower(args.node))
      if (node) nodes.set(lower(args.node), { ...node, zoneId: args.toZone as Hex })
    },
    HostKeyBound: (args) => {
      const node = lower(args.node)
      dropHostKey(node)
      const publicKey = (args.publicKey as Hex).toLowerCase() as Hex
      hostKeys.set(node, { hostId: fromBytes32Name(args.hostId as Hex), publicKey })
      keyOwners.set(publicKey, node)
    },
  }
}

/** An empty mirror. */
export function createIdentityMirror(): IdentityMirror {
  const masters = new Map<Hex, Set<string>>()
  const nodes = new Map<string, MirroredNode>()
  const hostKeys = new Map<string, HostKeyBinding>()
  const keyOwners = new Map<Hex, string>()
  const handlers = eventHandlers({ masters, nodes, hostKeys, keyOwners })
  let block = -1

  const resolve = (address: string): ResolveReply => {
    const key = address.toLowerCase()
    const node = nodes.get(key)
    if (!node) return { address: key, registered: false, block }
    return {
      address: key,
      registered: true,
      nodeType: node.nodeType,
      zone: fromBytes32Name(node.zoneId),
      master: masters.get(node.zoneId)?.has(key) ?? false,
      block,
    }
  }

  return {
    get block() {
      return block
    },
    apply(log) {
      if (log.contract === 'IdentityRegistry') handlers[log.eventName]?.(log.args)
    },
    advance(through) {
      block = Number(through)
    },
    node: (address) => nodes.get(address.toLowerCase()),
    resolve,
    sameZone(a, b) {
      const left = nodes.get(a.toLowerCase())
      const right = nodes.get(b.toLowerCase())
      if (!left || !right || left.zoneId !== right.zoneId) return { sameZone: false, block }
      return { sameZone: true, zone: fromBytes32Name(left.zoneId), block }
    },
    hostOfKey(publicKey) {
      const hex = `0x${Buffer.from(publicKey, 'base64').toString('hex')}` as Hex
      const owner = keyOwners.get(hex)
      const binding = owner === undefined ? undefined : hostKeys.get(owner)
      if (owner === undefined || !binding) {
        return { hostId: '', address: '', registered: false, block }
      }
      const { address, block: _, master: __, ...identity } = resolve(owner)
      return { hostId: binding.hostId, address, ...identity, block }
    },
  }
}

const lower = (value: unknown): string => String(value).toLowerCase()
