/**
 * Where the counter fixtures are, for host configs and spawns that name an
 * actor module by path: version 1 (counter-actor-fixture.ts), version 2
 * (its migrate accepts version 1) and version 3 whose migrate refuses.
 */
import { fileURLToPath } from 'node:url'

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

export const counterFixtures = {
  v1: here('./counter-actor-fixture.ts'),
  v2: here('./counter-actor-v2-fixture.ts'),
  broken: here('./counter-actor-broken-fixture.ts'),
} as const

/** Version 1 as a kernel spawn names it: the module's file URL and its export. */
export const counterSpawn = {
  module: new URL('./counter-actor-fixture.ts', import.meta.url).href,
  export: 'counterActor',
} as const
