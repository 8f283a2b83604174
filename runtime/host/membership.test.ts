import { describe, expect, test } from 'bun:test'
import { TestClock } from '../clock/test-clock.ts'
import { type HostInfo, Membership } from './membership.ts'

function info(hostId: string, startedAt = 0): HostInfo {
  return {
    hostId,
    role: 'edge',
    labels: {},
    capacity: 3,
    rpc: `127.0.0.1:${hostId.length}`,
    http: 'http://x',
    startedAt,
    deployment: 'd',
  }
}

function setup() {
  const clock = new TestClock()
  const changes: string[][] = []
  const downs: string[] = []
  const membership = new Membership({
    self: { ...info('fog'), role: 'fog' },
    clock,
    heartbeatIntervalMs: 100,
    suspicionTimeoutMs: 1000,
    onChange: (alive) => changes.push(alive.map((h) => h.hostId)),
    onDown: (member, why) => downs.push(`${member.hostId}:${why}`),
  })
  membership.start()
  return { clock, membership, changes, downs }
}

describe('Membership', () => {
  test('declares a silent host dead within the suspicion timeout plus one heartbeat interval', () => {
    const { clock, membership, changes, downs } = setup()
    membership.heard(info('edge-1'))
    expect(membership.alive().map((h) => h.hostId)).toEqual(['edge-1', 'fog'])
    clock.advance(999)
    expect(downs).toEqual([])
    clock.advance(101)
    expect(downs).toEqual(['edge-1:dead'])
    expect(membership.alive().map((h) => h.hostId)).toEqual(['fog'])
    expect(changes).toEqual([['edge-1', 'fog'], ['fog']])
  })

  test('keeps a host alive while heartbeats keep arriving', () => {
    const { clock, membership, downs } = setup()
    for (let i = 0; i < 50; i++) {
      membership.heard(info('edge-1'))
      clock.advance(500)
    }
    expect(downs).toEqual([])
    expect(membership.get('edge-1')?.status).toBe('alive')
  })

  test('keeps a suspect host placed until its timeout, and revives it on a heartbeat', () => {
    const { clock, membership } = setup()
    membership.heard(info('edge-1'))
    membership.suspect('edge-1')
    expect(membership.alive().map((h) => h.hostId)).toContain('edge-1')
    clock.advance(500)
    membership.heard(info('edge-1'))
    expect(membership.get('edge-1')?.status).toBe('alive')
  })

  test('removes a host that leaves at once', () => {
    const { membership, downs } = setup()
    membership.heard(info('edge-1'))
    membership.left('edge-1')
    expect(downs).toEqual(['edge-1:left'])
    expect(membership.alive().map((h) => h.hostId)).toEqual(['fog'])
  })

  test('revives a restarted host and ignores heartbeats of its older incarnation', () => {
    const { clock, membership, changes } = setup()
    membership.heard(info('edge-1', 1))
    clock.advance(1100)
    expect(membership.get('edge-1')?.status).toBe('dead')
    membership.heard(info('edge-1', 5))
    membership.heard(info('edge-1', 1))
    expect(membership.get('edge-1')).toMatchObject({ status: 'alive', startedAt: 5 })
    expect(changes.at(-1)).toEqual(['edge-1', 'fog'])
  })

  test('does not count a stall of its own as silence: a peer heard on waking stays alive', () => {
    const { clock, membership, downs } = setup()
    membership.heard(info('edge-1'))
    clock.advance(50)
    clock.stall(5000)
    clock.advance(0)
    expect(membership.paused).toBe(4950)
    membership.heard(info('edge-1'))
    clock.advance(500)
    expect(downs).toEqual([])
    expect(membership.get('edge-1')?.status).toBe('alive')
  })

  test('declares a peer silent after its stall dead once it has listened for the suspicion timeout', () => {
    const { clock, membership, downs } = setup()
    membership.heard(info('edge-1'))
    clock.advance(50)
    clock.stall(5000)
    clock.advance(899)
    expect(downs).toEqual([])
    clock.advance(1)
    expect(downs).toEqual(['edge-1:dead'])
  })

  test('does not count a stall of its own against a suspect peer either', () => {
    const { clock, membership, downs } = setup()
    membership.heard(info('edge-1'))
    membership.suspect('edge-1')
    clock.stall(3000)
    clock.advance(0)
    membership.heard(info('edge-1'))
    clock.advance(200)
    expect(downs).toEqual([])
    expect(membership.get('edge-1')?.status).toBe('alive')
  })
})
