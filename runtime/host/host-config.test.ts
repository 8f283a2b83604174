import { describe, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '../config/config-error.ts'
import { loadHostConfig } from './host-config.ts'

const adminPublicKey = Buffer.alloc(32, 7).toString('base64')

describe('loadHostConfig', () => {
  test('applies documented defaults and resolves paths against the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-host-config-'))
    try {
      const file = join(dir, 'host.json')
      await Bun.write(
        file,
        JSON.stringify({
          id: 'edge-1',
          role: 'edge',
          keyFile: 'keys/edge-1.pem',
          enrollmentFile: 'enrollment.json',
          adminPublicKey,
          actors: [{ name: 'echo', module: './echo-actor.ts' }],
          swappable: ['echo-actor-v2.ts', '/opt/vigil/echo-v3.ts'],
        }),
      )
      const config = await loadHostConfig({ file })
      expect(config).toMatchObject({
        id: 'edge-1',
        capacity: 8,
        listen: {
          rpc: { hostname: '127.0.0.1', port: 0 },
          http: { hostname: '127.0.0.1', port: 0 },
        },
        keyFile: join(dir, 'keys/edge-1.pem'),
        heartbeatIntervalMs: 500,
        suspicionTimeoutMs: 2000,
        seeds: [],
        actors: [
          {
            name: 'echo',
            module: join(dir, 'echo-actor.ts'),
            placement: { labels: {}, replicas: 1, fallback: 'any', weight: 1 },
          },
        ],
        swappable: [join(dir, 'echo-actor-v2.ts'), '/opt/vigil/echo-v3.ts'],
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('names every bad field', async () => {
    const error = await loadHostConfig({
      overrides: {
        id: 'Edge 1',
        role: 'phone',
        keyFile: 'k',
        enrollmentFile: 'e',
        adminPublicKey,
        seeds: ['nope'],
        heartbeatIntervalMs: -5,
        advertise: { rpc: '10.0.0.1' },
        swappable: ['./ok.ts', 'https://example.com/actor.ts'],
      },
    }).catch((e: unknown) => e)
    expect(ConfigError.is(error)).toBe(true)
    const paths = (error as ConfigError).problems.map((p) => p.path).sort()
    expect(paths).toEqual([
      'advertise.rpc',
      'heartbeatIntervalMs',
      'id',
      'role',
      'seeds.0',
      'swappable.1',
    ])
  })
})
