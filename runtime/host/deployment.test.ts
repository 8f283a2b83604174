import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { importActorDefinition, resolveActorSource } from '../actor/actor-source.ts'
import { counterFixtures } from '../testing/index.ts'
import { Deployment } from './deployment.ts'
import { ActorAlreadyDeployedError } from './errors.ts'
import { actorSpecSchema } from './host-config.ts'

const FIXTURES = join(import.meta.dir, 'fixtures')
const spec = (name: string, module: string) => actorSpecSchema.parse({ name, module })

describe('Deployment', () => {
  test('knows each actor’s protocol and flags, and changes its hash and protocols on a swap', async () => {
    const deployment = await Deployment.load([
      spec('echo', join(FIXTURES, 'echo-actor-fixture.ts')),
      spec('counter', counterFixtures.v1),
    ])
    expect(deployment.has('echo')).toBe(true)
    expect(deployment.has('nobody')).toBe(false)
    expect(deployment.isStateless('echo')).toBe(true)
    expect(deployment.isIdempotent('echo', 'echo.say')).toBe(true)
    expect(Object.keys(deployment.protocols()).sort()).toEqual(['counter', 'echo'])
    const before = { hash: deployment.hash(), protocols: deployment.protocols() }
    const v2 = counterFixtures.v2
    deployment.replace(
      'counter',
      { module: v2 },
      await importActorDefinition(resolveActorSource(v2)),
    )
    expect(deployment.spec('counter')?.module).toBe(v2)
    expect(deployment.hash()).not.toBe(before.hash)
    expect(deployment.protocols()).not.toBe(before.protocols)
  })

  test('adds a new actor, accepts the same spec again as no change, and refuses another spec under a deployed name', async () => {
    const deployment = await Deployment.load([spec('counter', counterFixtures.v1)])
    const before = deployment.hash()
    const echo = spec('echo', join(FIXTURES, 'echo-actor-fixture.ts'))
    expect(deployment.admits(echo)).toBe(true)
    deployment.add(echo, await importActorDefinition(resolveActorSource(echo.module)))
    expect(deployment.has('echo')).toBe(true)
    expect(Object.keys(deployment.protocols()).sort()).toEqual(['counter', 'echo'])
    expect(deployment.hash()).not.toBe(before)
    expect(deployment.admits(spec('counter', counterFixtures.v1))).toBe(false)
    expect(() => deployment.admits(spec('counter', counterFixtures.v2))).toThrow(
      ActorAlreadyDeployedError,
    )
  })
})
