import { describe, expect, test } from 'bun:test'
import { capabilityAccessControl, identityRegistry } from '../../contracts/index.ts'
import {
  ACCESS_DECISIONS,
  accessDecisionName,
  NODE_TYPES,
  nodeTypeMask,
  nodeTypeNumber,
} from './access-decision.ts'

describe('accessDecisionName', () => {
  test('names every decision the contract returns, with 0 a denial', () => {
    expect(accessDecisionName(0)).toBe('NoToken')
    expect(accessDecisionName(1)).toBe('Allowed')
    expect(accessDecisionName(7)).toBe('ConditionNotMet')
    expect(accessDecisionName(8)).toBe('Unknown(8)')
  })

  test('lists as many decisions as the Solidity enum has members', async () => {
    const source = await Bun.file(
      new URL('../../contracts/src/CapabilityAccessControl.sol', import.meta.url),
    ).text()
    const body = /enum Decision \{([^}]*)\}/.exec(source)?.[1] ?? ''
    const members = body
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean)
    expect(members).toEqual([...ACCESS_DECISIONS])
    expect(
      capabilityAccessControl.abi.some((i) => i.type === 'function' && i.name === 'checkAccess'),
    ).toBe(true)
  })
})

describe('nodeTypeMask', () => {
  test('sets bit i for NodeType i, matching the registry enum order', async () => {
    expect(nodeTypeNumber('edge')).toBe(1)
    expect(nodeTypeNumber('user')).toBe(4)
    expect(nodeTypeMask([])).toBe(0)
    expect(nodeTypeMask(['edge', 'cloud'])).toBe(0b1010)
    const source = await Bun.file(
      new URL('../../contracts/src/IdentityRegistry.sol', import.meta.url),
    ).text()
    const body = /enum NodeType \{([^}]*)\}/.exec(source)?.[1] ?? ''
    const members = body
      .split(',')
      .map((m) => m.trim().toLowerCase())
      .filter(Boolean)
    expect(members).toEqual([...NODE_TYPES])
    expect(identityRegistry.abi.length).toBeGreaterThan(0)
  })
})
