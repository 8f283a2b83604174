import { describe, expect, test } from 'bun:test'
import { accessPolicySchema, decideRequest } from './access-policy.ts'

const policy = accessPolicySchema.parse({
  rules: [
    {
      nodeTypes: ['user'],
      rights: [
        { resource: '/enf/records', action: 'read', zone: 'own' },
        { resource: '/privacy', action: 'read', timeWindow: { startSecond: 0, endSecond: 3_600 } },
      ],
    },
    { zones: ['zone-ops'], rights: [{ resource: '/enf/records', action: 'write' }] },
  ],
})
const user = { address: '0xabc', nodeType: 'user', zone: 'zone-a' }

describe('decideRequest', () => {
  test("grants listed rights with their conditions, binding 'own' to the subject's zone", () => {
    expect(
      decideRequest(policy, user, [
        { resource: '/enf/records', action: 'read' },
        { resource: '/privacy', action: 'read' },
      ]),
    ).toEqual({
      granted: [
        { resource: '/enf/records', action: 'read', zone: 'zone-a' },
        { resource: '/privacy', action: 'read', timeWindow: { startSecond: 0, endSecond: 3_600 } },
      ],
      refused: [],
    })
  })

  test('refuses rights no applying rule lists', () => {
    expect(decideRequest(policy, user, [{ resource: '/enf/records', action: 'write' }])).toEqual({
      granted: [],
      refused: [{ resource: '/enf/records', action: 'write' }],
    })
    const operator = { address: '0xdef', nodeType: 'cloud', zone: 'zone-ops' }
    expect(
      decideRequest(policy, operator, [{ resource: '/enf/records', action: 'write' }]).refused,
    ).toEqual([])
  })

  test('grants nothing under the default empty policy', () => {
    const empty = accessPolicySchema.parse({})
    expect(decideRequest(empty, user, [{ resource: '/echo', action: 'read' }]).granted).toEqual([])
  })
})
