import { describe, expect, test } from 'bun:test'
import { placementRuleSchema } from './host-config.ts'
import { type PlacementActor, type PlacementHost, placeActors } from './place-actors.ts'

const fog: PlacementHost = { hostId: 'fog-1', role: 'fog', labels: {}, capacity: 8 }
const edge1: PlacementHost = {
  hostId: 'edge-1',
  role: 'edge',
  labels: { camera: 'cam-1' },
  capacity: 3,
}
const edge2: PlacementHost = {
  hostId: 'edge-2',
  role: 'edge',
  labels: { camera: 'cam-2' },
  capacity: 3,
}

function actor(name: string, rule: unknown, stateless = false): PlacementActor {
  return { name, placement: placementRuleSchema.parse(rule), stateless }
}

const deployment = [
  actor('enf-cam-1', { role: 'edge', labels: { camera: 'cam-1' } }),
  actor('enf-cam-2', { role: 'edge', labels: { camera: 'cam-2' } }),
  actor('decision', { role: 'fog' }),
  actor('echo', { replicas: 3 }, true),
]

describe('placeActors', () => {
  test('puts camera actors on the edge host of their camera and decisions on fog', () => {
    const placement = placeActors(deployment, [fog, edge1, edge2])
    expect(placement.actors['enf-cam-1']).toEqual({
      actor: 'enf-cam-1',
      hosts: ['edge-1'],
      tier: 'preferred',
    })
    expect(placement.actors['enf-cam-2']?.hosts).toEqual(['edge-2'])
    expect(placement.actors.decision?.hosts).toEqual(['fog-1'])
    expect([...(placement.actors.echo?.hosts ?? [])].sort()).toEqual(['edge-1', 'edge-2', 'fog-1'])
  })

  test('places a dead edge host’s actor on a surviving edge host first', () => {
    const placement = placeActors(deployment, [fog, edge2])
    expect(placement.actors['enf-cam-1']).toEqual({
      actor: 'enf-cam-1',
      hosts: ['edge-2'],
      tier: 'same-role',
    })
    expect([...(placement.actors.echo?.hosts ?? [])].sort()).toEqual(['edge-2', 'fog-1'])
  })

  test('falls back to any host when no host of the role is left', () => {
    const placement = placeActors(deployment, [fog])
    expect(placement.actors['enf-cam-1']?.hosts).toEqual(['fog-1'])
    expect(placement.actors['enf-cam-1']?.tier).toBe('any')
  })

  test('leaves an actor unplaced with a reason when fallback is none', () => {
    const placement = placeActors(
      [actor('pinned', { role: 'edge', labels: { camera: 'cam-9' }, fallback: 'none' })],
      [fog, edge1],
    )
    expect(placement.actors.pinned?.hosts).toEqual([])
    expect(placement.actors.pinned?.problem).toContain('camera=cam-9')
  })

  test('respects capacity and spreads load', () => {
    const many = Array.from({ length: 5 }, (_, i) => actor(`worker-${i}`, { role: 'edge' }))
    const placement = placeActors(many, [edge1, edge2])
    expect(placement.load).toEqual({ 'edge-1': 3, 'edge-2': 2 })
  })

  test('gives a stateful actor one host even if replicas are asked for', () => {
    const placement = placeActors([actor('counter', { replicas: 3 })], [fog, edge1, edge2])
    expect(placement.actors.counter?.hosts).toHaveLength(1)
  })

  test('is deterministic regardless of input order', () => {
    const a = placeActors(deployment, [fog, edge1, edge2])
    const b = placeActors([...deployment].reverse(), [edge2, fog, edge1])
    expect(b).toEqual(a)
  })
})
