import { describe, expect, test } from 'bun:test'
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { domainId } from './bytes32-name.ts'
import { readContractAddresses } from './contract-addresses.ts'
import { createChainClients } from './create-chain-clients.ts'
import { startLocalChain } from './start-local-chain.ts'
import { createVigilContracts } from './vigil-contracts.ts'

describe('startLocalChain', () => {
  test('creates host accounts holding only the roles asked for', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vigil-localchain-')), 'eth')
    await using chain = await startLocalChain({
      dir,
      anchorDomains: ['domain-a'],
      accounts: [
        { name: 'fog-1', anchorer: true },
        { name: 'access-control', issuer: true },
      ],
    })
    const fog = chain.accounts['fog-1']
    const issuer = chain.accounts['access-control']
    if (!fog || !issuer) throw new Error('accounts missing')
    expect(statSync(fog.keyFile).mode & 0o777).toBe(0o600)
    const clients = await createChainClients({ chainId: chain.chainId, rpcUrl: chain.rpcUrl })
    const contracts = createVigilContracts(clients, chain.addresses)
    expect(await contracts.anchor.read('isAnchorer', [domainId('domain-a'), fog.address])).toBe(
      true,
    )
    expect(await contracts.anchor.read('isAnchorer', [domainId('domain-a'), chain.deployer])).toBe(
      false,
    )
    expect(await contracts.capabilityAccessControl.read('isIssuer', [issuer.address])).toBe(true)
    expect(await contracts.capabilityAccessControl.read('isIssuer', [fog.address])).toBe(false)
  })

  test('deploys with a generated 0600 key, writes the addresses and stops anvil', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vigil-localchain-')), 'eth')
    const chain = await startLocalChain({ dir, anchorDomains: ['domain-a'] })
    try {
      expect(statSync(chain.keyFile).mode & 0o777).toBe(0o600)
      const addresses = await readContractAddresses(chain.addressesFile)
      expect(addresses).toEqual(chain.addresses)
      const clients = await createChainClients({ chainId: chain.chainId, rpcUrl: chain.rpcUrl })
      const contracts = createVigilContracts(clients, addresses)
      expect(await contracts.anchor.read('admin', [])).toBe(chain.deployer)
      expect(
        await contracts.anchor.read('isAnchorer', [domainId('domain-a'), chain.deployer]),
      ).toBe(true)
    } finally {
      await chain.stop()
    }
    expect(chain.anvil.process.exitCode !== null || chain.anvil.process.signalCode !== null).toBe(
      true,
    )
    // A second start reuses the key file and deploys afresh.
    await using again = await startLocalChain({ dir })
    expect(again.deployer).toBe(chain.deployer)
  })
})
