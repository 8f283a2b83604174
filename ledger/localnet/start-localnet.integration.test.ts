import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCometbftLedger } from '../cometbft/cometbft-ledger.ts'
import { LedgerLocalnetError } from '../errors.ts'
import { startLocalnet } from './start-localnet.ts'

// Starts real cometbft and app processes: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(60_000)

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('startLocalnet', () => {
  test('restarts a localnet from its folder with the same chain, keys and records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-net-keep-'))
    dirs.push(dir)
    let chainId: string
    let adminKey: string
    {
      await using net = await startLocalnet({ validators: 2, dir })
      chainId = net.chainId
      adminKey = net.adminKey.publicKeyHex
      const ledger = await createCometbftLedger({
        rpcUrls: net.rpcUrls,
        signer: net.nodeKeys[0] as never,
      })
      await ledger.commit({ kind: 'host_enrollment', key: 'hosts/edge-1', dataHex: '01' })
      await ledger.close()
    }
    await using again = await startLocalnet({ validators: 2, dir })
    expect(again.chainId).toBe(chainId)
    expect(again.adminKey.publicKeyHex).toBe(adminKey)
    const ledger = await createCometbftLedger({
      rpcUrls: again.rpcUrls,
      signer: again.nodeKeys[1] as never,
    })
    expect((await ledger.get('hosts/edge-1'))?.record.dataHex).toBe('01')
    expect(
      (await ledger.commit({ kind: 'host_enrollment', key: 'hosts/edge-2', dataHex: '02' })).height,
    ).toBeGreaterThan(1)
    await ledger.close()
  })

  test('runs its validators with the consensus timeouts and gossip sleep it is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-net-timeouts-'))
    dirs.push(dir)
    await using net = await startLocalnet({
      validators: 1,
      dir,
      timeouts: { commitMs: 150, gossipSleepMs: 30 },
    })
    const config = readFileSync(join(net.dir, 'node0', 'config', 'config.toml'), 'utf8')
    expect(config).toContain('timeout_commit = "150ms"')
    expect(config).toContain('skip_timeout_commit = false')
    expect(config).toContain('peer_gossip_sleep_duration = "30ms"')
    expect(config).toContain('timeout_propose = "400ms"')
  })

  test('refuses a folder that holds a localnet of another size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-net-size-'))
    dirs.push(dir)
    {
      await using _net = await startLocalnet({ validators: 1, dir })
    }
    const error = await startLocalnet({ validators: 2, dir }).then(
      () => null,
      (reason: unknown) => reason,
    )
    expect(LedgerLocalnetError.is(error)).toBe(true)
  })
})
