/**
 * The placement policy: a pure, deterministic function from the deployed
 * actors and the live hosts to "which host runs which actor". Every host
 * computes it from the same membership view, so they agree without a
 * coordinator; when a host dies its actors fall to the survivors the next
 * time the view changes.
 *
 * For each actor (most constrained first) the candidate hosts are ranked in
 * tiers: role and labels match; then (unless `fallback: 'none'`) the role
 * alone matches; then (with `fallback: 'any'`) any host. Within a tier,
 * hosts with room for the actor's weight come first, least loaded first,
 * ties broken by host id. Stateful actors get one host; stateless actors up
 * to `replicas` distinct hosts.
 */
import type { HostRole } from '../rpc/enrollment-list.ts'
import type { PlacementRule } from './host-config.ts'

/** What the policy knows about a live host. */
export type PlacementHost = {
  readonly hostId: string
  readonly role: HostRole
  readonly labels: Readonly<Record<string, string>>
  readonly capacity: number
}

/** What the policy knows about an actor. */
export type PlacementActor = {
  readonly name: string
  readonly placement: PlacementRule
  /** Only stateless actors may have more than one replica. */
  readonly stateless: boolean
}

/** Why an actor landed where it did, for `vigil actors ls`. */
export type PlacementTier = 'preferred' | 'same-role' | 'any'

export type ActorPlacement = {
  readonly actor: string
  /** Hosts that run the actor, first one is the primary. Empty when unplaced. */
  readonly hosts: readonly string[]
  readonly tier: PlacementTier | undefined
  /** Set when the actor could not be placed. */
  readonly problem?: string | undefined
}

export type Placement = {
  readonly actors: Readonly<Record<string, ActorPlacement>>
  /** Capacity units used per host. */
  readonly load: Readonly<Record<string, number>>
}

function matchesLabels(host: PlacementHost, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(labels).every(([key, value]) => host.labels[key] === value)
}

function specificity(actor: PlacementActor): number {
  return (actor.placement.role ? 1 : 0) + Object.keys(actor.placement.labels).length * 2
}

/** Places every actor on the given hosts. */
export function placeActors(
  actors: readonly PlacementActor[],
  hosts: readonly PlacementHost[],
): Placement {
  const sortedHosts = [...hosts].sort((a, b) =>
    a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0,
  )
  const load: Record<string, number> = Object.fromEntries(sortedHosts.map((h) => [h.hostId, 0]))
  const ordered = [...actors].sort(
    (a, b) => specificity(b) - specificity(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )
  const result: Record<string, ActorPlacement> = {}
  for (const actor of ordered) {
    const rule = actor.placement
    const wanted = actor.stateless ? rule.replicas : 1
    const tiers: [PlacementTier, PlacementHost[]][] = [
      [
        'preferred',
        sortedHosts.filter(
          (h) => (rule.role === undefined || h.role === rule.role) && matchesLabels(h, rule.labels),
        ),
      ],
    ]
    if (rule.fallback !== 'none') {
      tiers.push([
        'same-role',
        sortedHosts.filter((h) => rule.role === undefined || h.role === rule.role),
      ])
    }
    if (rule.fallback === 'any') tiers.push(['any', sortedHosts])
    const chosen: string[] = []
    let tier: PlacementTier | undefined
    for (const [name, candidates] of tiers) {
      const ranked = candidates
        .filter((h) => !chosen.includes(h.hostId))
        .sort((a, b) => {
          const roomA = (load[a.hostId] ?? 0) + rule.weight <= a.capacity ? 0 : 1
          const roomB = (load[b.hostId] ?? 0) + rule.weight <= b.capacity ? 0 : 1
          return (
            roomA - roomB || (load[a.hostId] ?? 0) / a.capacity - (load[b.hostId] ?? 0) / b.capacity
          )
        })
        .filter((h) => (load[h.hostId] ?? 0) + rule.weight <= h.capacity)
      for (const host of ranked) {
        if (chosen.length >= wanted) break
        chosen.push(host.hostId)
        load[host.hostId] = (load[host.hostId] ?? 0) + rule.weight
        tier ??= name
      }
      if (chosen.length >= wanted) break
    }
    result[actor.name] = {
      actor: actor.name,
      hosts: chosen,
      tier,
      ...(chosen.length === 0
        ? {
            problem: `no live host with room matches ${describeRule(rule)} (fallback '${rule.fallback}')`,
          }
        : {}),
    }
  }
  return { actors: result, load }
}

function describeRule(rule: PlacementRule): string {
  const parts = [rule.role ? `role=${rule.role}` : 'any role']
  for (const [key, value] of Object.entries(rule.labels)) parts.push(`${key}=${value}`)
  return parts.join(', ')
}
