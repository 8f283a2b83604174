import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { encode } from '@msgpack/msgpack'
import {
  type FuzzTargetHost,
  fuzzRpcDecoder,
  fuzzRpcListener,
  maxRssMb,
  rejectionOf,
  startFuzzTargetHost,
} from '../testing/index.ts'
import { acceptHandshake } from './handshake.ts'
import { createTestEnrollment } from './test-enrollment.ts'

// Real sockets and a real host; bunfig's timeout is not applied by bun 1.4.
setDefaultTimeout(30_000)

const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? Date.now() % 1_000_000)
console.log(`rpc fuzz seed ${SEED} (replay with VIGIL_FUZZ_SEED=${SEED})`)

describe('fuzzing the RPC decoder', () => {
  test('random and mutated frames on every layer are refused with typed errors, none crashes', async () => {
    const report = await fuzzRpcDecoder({ seed: SEED, frames: 6000 })
    expect(report.examples).toEqual([])
    expect(report.crashes).toBe(0)
    expect(report.unclear).toBe(0)
    expect(report.cases).toBe(6000)
    expect(report.outcomes.RPC_FRAME_MALFORMED).toBeGreaterThan(0)
  })

  test('a 5-byte hello declaring 2^24 array elements is refused by its declared length, not allocated', async () => {
    const test = createTestEnrollment({ 'fog-1': 'fog' })
    const before = maxRssMb()
    const frames = [Uint8Array.of(0xdd, 0x00, 0xff, 0xff, 0xff)]
    const error = (await rejectionOf(
      acceptHandshake(
        { send() {}, receive: async () => frames.shift() ?? encode(null) },
        { hostId: 'fog-1', key: test.keys['fog-1'] as never, enrollment: test.enrollment },
      ),
    )) as { code: string; message: string }
    expect(error.code).toBe('RPC_FRAME_MALFORMED')
    expect(error.message).toContain('Max length exceeded')
    expect(maxRssMb() - before).toBeLessThan(100)
  })
})

describe('fuzzing a live RPC listener', () => {
  let target: FuzzTargetHost
  beforeAll(async () => {
    target = await startFuzzTargetHost()
  })
  afterAll(() => target.stop())

  test('fuzzed frames before and after the handshake close connections, and the host still serves', async () => {
    const report = await fuzzRpcListener(target, {
      seed: SEED,
      unauthenticatedFrames: 600,
      authenticatedFrames: 1500,
    })
    expect(report.examples).toEqual([])
    expect(report.crashes + report.unclear).toBe(0)
    expect(report.outcomes['closed by host']).toBeGreaterThan(0)
    const response = await fetch(`${target.gatewayUrl}/v1/actors/echo/echo.say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'still here' }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ text: 'still here' })
  })
})
