import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { type FuzzTargetHost, fuzzGateway, startFuzzTargetHost } from '../testing/index.ts'

// Real sockets and a real host; bunfig's timeout is not applied by bun 1.4.
setDefaultTimeout(30_000)

const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? Date.now() % 1_000_000)
console.log(`gateway fuzz seed ${SEED} (replay with VIGIL_FUZZ_SEED=${SEED})`)

describe('fuzzing a live gateway', () => {
  let target: FuzzTargetHost
  beforeAll(async () => {
    target = await startFuzzTargetHost()
  })
  afterAll(() => target.stop())

  test('malformed requests are answered 4xx with JSON {code, message}, and valid ones still served', async () => {
    const report = await fuzzGateway(target.gatewayUrl, { seed: SEED, requests: 1000 })
    expect(report.examples).toEqual([])
    expect(report.crashes + report.unclear).toBe(0)
    expect(report.cases).toBe(1000)
    const response = await fetch(`${target.gatewayUrl}/v1/actors/echo/echo.say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'ok' }),
    })
    expect(response.status).toBe(200)
  })

  test('a body above the limit is answered 413 PAYLOAD_TOO_LARGE as JSON, not by the server alone', async () => {
    const response = await fetch(`${target.gatewayUrl}/v1/actors/echo/echo.say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }),
    })
    expect(response.status).toBe(413)
    expect(((await response.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE')
  })
})
