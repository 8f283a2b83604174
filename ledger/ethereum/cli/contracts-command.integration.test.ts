import { describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from '../../../runtime/index.ts'
import { vigil } from '../../../scripts/vigil.ts'
import { domainId } from '../bytes32-name.ts'
import { readContractAddresses } from '../contract-addresses.ts'
import { createChainClients } from '../create-chain-clients.ts'
import { startAnvil } from '../start-anvil.ts'
import { createFundedKeyFile } from '../testing/index.ts'
import { createVigilContracts } from '../vigil-contracts.ts'

function captureIo() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err }
}

describe('vigil contracts deploy', () => {
  test('deploys the contract set and writes an addresses file the hosts can use', async () => {
    await using anvil = await startAnvil()
    const key = await createFundedKeyFile(anvil.rpcUrl)
    const outFile = join(mkdtempSync(join(tmpdir(), 'vigil-deploy-')), 'addresses.json')
    const { io, out } = captureIo()
    const code = await runCommand(
      vigil,
      [
        'contracts',
        'deploy',
        '--rpc',
        anvil.rpcUrl,
        '--key',
        key.path,
        '--out',
        outFile,
        '--anchor-domain',
        'domain-a',
      ],
      io,
    )
    expect(code).toBe(0)
    expect(out.join('\n')).toContain('Anchor')
    const addresses = await readContractAddresses(outFile)
    expect(addresses.chainId).toBe(31337)
    expect(addresses.deployer).toBe(key.address)
    const clients = await createChainClients({ chainId: 31337, rpcUrl: anvil.rpcUrl })
    const contracts = createVigilContracts(clients, addresses)
    expect(await contracts.identityRegistry.read('admin', [])).toBe(key.address)
    expect(await contracts.capabilityAccessControl.read('registry', [])).toBe(
      addresses.identityRegistry,
    )
    expect(await contracts.anchor.read('isAnchorer', [domainId('domain-a'), key.address])).toBe(
      true,
    )
  })

  test('fails with a coded message, without the URL credentials, when the node is down', async () => {
    const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
    const port = probe.port
    probe.stop(true)
    const keyDir = mkdtempSync(join(tmpdir(), 'vigil-deploy-key-'))
    const keyFile = join(keyDir, 'key.hex')
    await Bun.write(keyFile, `0x${'11'.repeat(32)}\n`)
    const { io, err } = captureIo()
    const code = await runCommand(
      vigil,
      ['contracts', 'deploy', '--rpc', `http://admin:s3cret@127.0.0.1:${port}`, '--key', keyFile],
      io,
    )
    expect(code).toBe(1)
    expect(err.join('\n')).toContain('ETH_RPC_UNAVAILABLE')
    expect(err.join('\n')).not.toContain('s3cret')
  })

  test('refuses to run without --rpc and --key', async () => {
    const { io, err } = captureIo()
    expect(await runCommand(vigil, ['contracts', 'deploy'], io)).toBe(2)
    expect(err.join('\n')).toContain('--rpc and --key are required')
  })
})
