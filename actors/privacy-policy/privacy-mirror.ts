/**
 * The PrivacyPolicy contract in memory, rebuilt from its events (PolicySet, SubjectAccessSet,
 * RoleAccessSet, RoleAssigned, RoleUnassigned) with the contract's own rule (`scrambledFor`):
 * an owner sees everything of its own; without a policy nobody else sees anything; otherwise the
 * non-sensitive attributes plus what the viewer or one of its roles was granted.
 */
import type { ChainLog } from '../chain/index.ts'
import type { VisibleAttributes } from './privacy-protocol.ts'

/** Attribute bits as PrivacyPolicy numbers them. */
export const ATTRIBUTE_BITS = { faces: 1, people: 2, plates: 4, zones: 8 } as const
const ALL = 15

export type PrivacyMirror = {
  readonly block: number
  apply(log: ChainLog): void
  advance(block: bigint): void
  /** Bitmask of what `viewer` may see unscrambled of `owner`'s data. */
  visibleMask(owner: string, viewer: string): number
  visible(viewer: string, owner: string, camera?: string | undefined): VisibleAttributes
}

/** An empty mirror. */
export function createPrivacyMirror(): PrivacyMirror {
  const sensitive = new Map<string, number>()
  const subjectAccess = new Map<string, number>()
  const roleAccess = new Map<string, Map<string, number>>()
  const roles = new Map<string, Set<string>>()
  let block = -1
  const pair = (a: unknown, b: unknown) => `${lower(a)} ${lower(b)}`

  const handlers: Record<string, (args: Record<string, unknown>) => void> = {
    PolicySet: (args) => sensitive.set(lower(args.owner), Number(args.sensitive)),
    SubjectAccessSet: (args) =>
      subjectAccess.set(pair(args.owner, args.subject), Number(args.attributes)),
    RoleAccessSet: (args) => {
      const owner = lower(args.owner)
      const byRole = roleAccess.get(owner) ?? new Map<string, number>()
      byRole.set(lower(args.role), Number(args.attributes))
      roleAccess.set(owner, byRole)
    },
    RoleAssigned: (args) => {
      const subject = lower(args.subject)
      roles.set(subject, (roles.get(subject) ?? new Set()).add(lower(args.role)))
    },
    RoleUnassigned: (args) => roles.get(lower(args.subject))?.delete(lower(args.role)),
  }

  const visibleMask = (owner: string, viewer: string): number => {
    const o = owner.toLowerCase()
    const v = viewer.toLowerCase()
    if (o === v) return ALL
    const mask = sensitive.get(o)
    if (mask === undefined) return 0
    let granted = subjectAccess.get(pair(o, v)) ?? 0
    for (const [role, attributes] of roleAccess.get(o) ?? []) {
      if (roles.get(v)?.has(role)) granted |= attributes
    }
    return ALL & (~mask | granted)
  }

  return {
    get block() {
      return block
    },
    apply(log) {
      if (log.contract === 'PrivacyPolicy') handlers[log.eventName]?.(log.args)
    },
    advance(through) {
      block = Number(through)
    },
    visibleMask,
    visible(viewer, owner, camera) {
      const mask =
        visibleMask(owner, viewer) & (camera === undefined ? ALL : visibleMask(camera, viewer))
      return {
        faces: (mask & ATTRIBUTE_BITS.faces) !== 0,
        people: (mask & ATTRIBUTE_BITS.people) !== 0,
        plates: (mask & ATTRIBUTE_BITS.plates) !== 0,
        zones: (mask & ATTRIBUTE_BITS.zones) !== 0,
      }
    },
  }
}

const lower = (value: unknown): string => String(value).toLowerCase()
