import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { createAbciFuzzTarget, fuzzAbciApp, fuzzAbciSocket } from '../testing/index.ts'

// Real sockets and a real host; bunfig's timeout is not applied by bun 1.4.
setDefaultTimeout(30_000)

const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? Date.now() % 1_000_000)
console.log(`abci fuzz seed ${SEED} (replay with VIGIL_FUZZ_SEED=${SEED})`)

describe('fuzzing the ABCI app', () => {
  test('malformed requests and transactions get codes with logs or clear exceptions, and a valid tx is still accepted', async () => {
    const target = await createAbciFuzzTarget()
    const inProcess = await fuzzAbciApp(target, { seed: SEED, requests: 4000 })
    const live = await fuzzAbciSocket(target, { seed: SEED + 1, requests: 1000 })
    expect([...inProcess.examples, ...live.examples]).toEqual([])
    expect(inProcess.crashes + inProcess.unclear + live.crashes + live.unclear).toBe(0)
    expect(inProcess.outcomes['exception: malformed ABCI request']).toBeGreaterThan(0)
    expect(target.app.checkTx({ tx: target.validTx(1n), type: 0 }).code).toBe(0)
  })

  test('a genesis that is not JSON is refused with a message that says so', async () => {
    const target = await createAbciFuzzTarget()
    expect(() =>
      target.app.initChain({ appStateBytes: new TextEncoder().encode('{nope') } as never),
    ).toThrow('genesis app_state is not JSON')
  })
})
