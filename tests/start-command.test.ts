/**
 * `vigil start` (what `npm start` runs) as a real process: the whole
 * one-machine domain — a 4-validator CometBFT localnet, anvil with the
 * contracts, one fog and two edge hosts. Through the gateway, an edge host's
 * ENF actor fingerprints a real recording onto the CometBFT ledger (via the
 * ledger actor on fog), another edge verifies it, the Ethereum actor anchors
 * the batch, and Ctrl-C stops every process.
 */
import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signIn } from '../actors/auth/index.ts'
import { waitFor } from '../runtime/testing/index.ts'
import { DEMO_RECORDING_PATH } from './fixtures/index.ts'

setDefaultTimeout(120_000)

let token = ''

async function post(gateway: string, actor: string, message: string, body: unknown, as = token) {
  const response = await fetch(`${gateway}/v1/actors/${actor}/${message}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: as ? { authorization: `Bearer ${as}` } : {},
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

function processesUnder(dir: string): number[] {
  const out = Bun.spawnSync(['pgrep', '-f', dir]).stdout.toString().trim()
  return out ? out.split('\n').map(Number) : []
}

describe('vigil start', () => {
  test('runs the one-machine domain end to end and stops every process on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-start-'))
    // The demo recording `npm start` suggests: 60 s of a real noisy mains-hum recording.
    const recording = DEMO_RECORDING_PATH
    const child = Bun.spawn(
      [process.execPath, join(import.meta.dir, '..', 'scripts', 'vigil.ts'), 'start', '--dir', dir],
      { stdout: 'pipe', stderr: 'pipe' },
    )
    let output = ''
    void (async () => {
      for await (const chunk of child.stdout) output += new TextDecoder().decode(chunk)
    })()
    try {
      const gateway = await waitFor(() => /gateway: (http:\/\/\S+)/.exec(output)?.[1], {
        timeoutMs: 90_000,
        message: 'the gateway line',
      })
      expect(output).toMatch(/fog-1 +pid \d+/)
      expect(output).toMatch(/edge-2 +pid \d+/)
      await waitFor(async () => (await fetch(`${gateway}/readyz`)).status === 200)
      // The printed sign-in works: the demo operator's key is under the data dir.
      expect(output).toContain(join(dir, 'accounts', 'operator.key'))
      const keyOf = async (name: string) =>
        (await Bun.file(join(dir, 'accounts', `${name}.key`)).text()).trim() as `0x${string}`
      token = await waitFor(async () => (await signIn(gateway, await keyOf('operator'))).token, {
        timeoutMs: 30_000,
        message: 'the operator to sign in (identity mirror caught up)',
      })
      const viewer = (await signIn(gateway, await keyOf('viewer'))).token
      // The operator dashboard (docs/dashboard.md): the page is public, its data needs the
      // operator's on-chain right /dashboard read, which the viewer lacks.
      expect(output).toContain(`dashboard: ${gateway}/dashboard`)
      expect((await fetch(`${gateway}/dashboard`)).status).toBe(200)
      const dashboard = (as: string) =>
        fetch(`${gateway}/dashboard/api/domain`, { headers: { authorization: `Bearer ${as}` } })
      expect((await dashboard(viewer)).status).toBe(403)
      const hosts = await waitFor(async () => {
        const summary = (await (await dashboard(token)).json()) as {
          hosts?: { hostId: string; ready?: boolean }[]
        }
        return summary.hosts?.filter((h) => h.ready).length === 3 ? summary.hosts : undefined
      })
      expect(hosts.map((h) => h.hostId)).toEqual(['edge-1', 'edge-2', 'fog-1'])
      expect((await post(gateway, 'echo', 'echo.say', { text: 'hello' }, '')).status).toBe(401)
      // Every host's gateway is guarded, not only the first fog host's; a token works on any of them.
      const edgeGateway = /edge-2 +pid \d+ +rpc \S+ +gateway (http:\/\/\S+)/.exec(
        output,
      )?.[1] as string
      await waitFor(async () => (await fetch(`${edgeGateway}/readyz`)).status === 200)
      expect((await post(edgeGateway, 'echo', 'echo.say', { text: 'hello' }, '')).status).toBe(401)
      expect((await post(edgeGateway, 'echo', 'echo.say', { text: 'hello' }, token)).status).toBe(
        200,
      )
      expect(
        (
          await post(
            gateway,
            'enf-cam-1',
            'enf.record',
            { recordingId: 'v', audioPath: recording },
            viewer,
          )
        ).body.code,
      ).toBe('ACCESS_DENIED')

      expect(await post(gateway, 'echo', 'echo.say', { text: 'hello' })).toMatchObject({
        status: 200,
        body: { text: 'hello' },
      })

      // ENF actors read only their media folder (<dir>/media): put the recording there.
      await copyFile(recording, join(dir, 'media', 'e2e.wav'))
      const recorded = await post(gateway, 'enf-cam-1', 'enf.record', {
        recordingId: 'start-e2e',
        audioPath: 'e2e.wav',
      })
      expect(recorded).toMatchObject({ status: 200 })
      const receipt = recorded.body.receipt as { height: number; chainId: string }
      expect(receipt.height).toBeGreaterThan(0)

      const verified = await post(gateway, 'enf-cam-2', 'enf.verify', {
        hostId: 'edge-1',
        recordingId: 'start-e2e',
        candidatePath: 'e2e.wav',
      })
      expect(verified).toMatchObject({ status: 200, body: { passed: true, verdict: 'authentic' } })

      const status = await post(gateway, 'ledger', 'ledger.status', {})
      expect(status.body).toMatchObject({ chainId: receipt.chainId, records: 1 })

      // The printed record line: an edge integrity actor commits and forwards to the fog database,
      // which answers the printed query line.
      const recordLine = /record: +curl .* -d '(.*)'$/m.exec(output)?.[1] as string
      const detectionCall = await post(
        gateway,
        'integrity-cam-1',
        'integrity.record',
        JSON.parse(recordLine),
      )
      expect(detectionCall).toMatchObject({
        status: 200,
        body: { forwarded: { to: 'fog-db', stored: 1 } },
      })
      const found = await post(gateway, 'fog-db', 'fogdb.query', {
        table: 'detections',
        cameraId: 'cam-1',
      })
      expect(found).toMatchObject({ status: 200, body: { rows: [{ id: 'demo-det-1' }] } })

      // The Ethereum actor anchors the CometBFT batch on the inter-domain chain.
      await waitFor(
        async () =>
          ((await post(gateway, 'ethereum', 'eth.anchoring_status', {})).body
            .anchoredHeight as number) >= receipt.height,
        { timeoutMs: 30_000, message: 'the batch to be anchored on Ethereum' },
      )

      // The surveillance pipeline on cam-1 plays the looped clip: the person at the table is in
      // the demo's restricted zone, so an intrusion alert streams out of the fog gateway (SSE).
      const stream = await fetch(`${gateway}/v1/events/surveil-decision/decision.events`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(stream.status).toBe(200)
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader()
      let sse = ''
      const alert = await waitFor(
        async () => {
          const { value } = await reader.read()
          sse += new TextDecoder().decode(value)
          const data = /^data: (.*)$/m.exec(sse)?.[1]
          return data ? (JSON.parse(data) as Record<string, unknown>) : undefined
        },
        { timeoutMs: 60_000, message: 'an intrusion alert from the demo camera' },
      )
      await reader.cancel()
      expect(alert).toMatchObject({ kind: 'intrusion', zone: 'table', cameraId: 'cam-1' })

      const refused = await post(gateway, 'enf-cam-1', 'enf.record', { recordingId: 'x' })
      expect(refused.status).toBe(400)
      expect(refused.body.code).toBe('PROTOCOL_VIOLATION')

      child.kill('SIGINT')
      expect(await child.exited).toBe(0)
      // Hosts, validators and ABCI apps (all started with paths under dir) have gone.
      expect(processesUnder(dir)).toEqual([])
    } finally {
      // On a failure, stop the domain the way an operator would (Ctrl-C), so that no validator,
      // anvil or host outlives the test; SIGKILL only as the last resort.
      if (child.exitCode === null) {
        child.kill('SIGINT')
        const exited = await Promise.race([child.exited, Bun.sleep(30_000).then(() => null)])
        if (exited === null) child.kill('SIGKILL')
      }
      for (const pid of processesUnder(dir)) process.kill(pid, 'SIGKILL')
      await rm(dir, { recursive: true, force: true })
    }
  })
})
