import { describe, expect, test } from 'bun:test'
import { DeployAllowList } from './deploy-allow-list.ts'
import { DeployModuleNotAllowedError } from './errors.ts'

describe('DeployAllowList', () => {
  const list = new DeployAllowList({ 'surveillance/camera': '/opt/vigil/camera-actor.ts' })

  test('resolves a deployable key to the host’s own file', () => {
    expect(list.resolve('surveil-camera-cam-1', 'surveillance/camera')).toBe(
      '/opt/vigil/camera-actor.ts',
    )
  })

  test('refuses a path, a URL, an unknown key and inherited object keys, naming the known keys', () => {
    for (const module of [
      '/opt/vigil/camera-actor.ts',
      'https://example.org/evil.ts',
      'surveillance/other',
      '__proto__',
      'constructor',
    ]) {
      const error = (() => {
        try {
          list.resolve('cam', module)
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(DeployModuleNotAllowedError)
      expect((error as Error).message).toContain('surveillance/camera')
    }
  })
})
