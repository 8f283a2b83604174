import { describe, expect, test } from 'bun:test'
import { UsageError } from './command.ts'
import { requiredFlag, requireFlags, stringFlag, stringFlags } from './command-flags.ts'

const values = { rpc: 'http://127.0.0.1:8545', empty: '', json: true, host: ['a', 'b'] }

describe('command flags', () => {
  test('stringFlag gives a string flag, and nothing for booleans, lists or absent flags', () => {
    expect(['rpc', 'json', 'host', 'missing'].map((name) => stringFlag(values, name))).toEqual([
      'http://127.0.0.1:8545',
      undefined,
      undefined,
      undefined,
    ])
  })

  test('stringFlags gives every value of a repeated flag, and [] when none was given', () => {
    expect(stringFlags(values, 'host')).toEqual(['a', 'b'])
    expect(stringFlags(values, 'missing')).toEqual([])
  })

  test('requireFlags returns the named flags, or a UsageError naming them all', () => {
    expect(requireFlags(values, ['rpc', 'empty'])).toEqual({ rpc: values.rpc, empty: '' })
    expect(() => requireFlags(values, ['rpc', 'key'])).toThrow(
      new UsageError('--rpc and --key are required'),
    )
    expect(() => requireFlags(values, ['key'])).toThrow(new UsageError('--key is required'))
    expect(() => requireFlags(values, ['json'], 'give --json a value')).toThrow(
      new UsageError('give --json a value'),
    )
  })

  test('requiredFlag refuses an empty value as well as a missing one', () => {
    expect(requiredFlag(values, 'rpc')).toBe(values.rpc)
    expect(() => requiredFlag(values, 'empty')).toThrow(new UsageError('--empty is required'))
    expect(() => requiredFlag(values, 'missing')).toThrow(new UsageError('--missing is required'))
  })
})
