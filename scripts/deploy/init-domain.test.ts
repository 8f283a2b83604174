import { afterAll, describe, expect, test } from 'bun:test'
import { X509Certificate } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ConfigError,
  loadHostConfig,
  readEnrollmentList,
  readHostKey,
} from '../../runtime/index.ts'
import { domainDescriptionSchema, loadDomainDescription } from './domain-description.ts'
import { initDomain } from './init-domain.ts'
import { readMachineManifest } from './machine-manifest.ts'

const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-init-'))
  dirs.push(dir)
  return dir
}

const DESCRIPTION = `
domain: city-north
tls: true
hosts:
  - { id: fog-1, role: fog, address: 198.18.0.2, validator: true, power: 2 }
  - { id: edge-1, role: edge, address: 198.18.0.3, validator: true, labels: { camera: cam-1 } }
  - { id: edge-2, role: edge, address: 198.18.0.4, validator: true }
  - { id: edge-3, role: edge, address: 198.18.0.5 }
ethereum:
  rpcUrl: http://198.18.0.6:8545
  chainId: 31337
  contracts: { Anchor: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }
`

/** Every file under `dir`, relative. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const path = join(prefix, name)
    return statSync(join(dir, path)).isDirectory() ? filesUnder(dir, path) : [path]
  })
}

describe('vigil domain init', async () => {
  const dir = await tempDir()
  await Bun.write(join(dir, 'domain.yaml'), DESCRIPTION)
  const description = await loadDomainDescription(join(dir, 'domain.yaml'))
  const layout = await initDomain({ description, out: join(dir, 'out') })

  test('writes one folder per machine whose host config loads and matches the signed enrollment', async () => {
    for (const host of description.hosts) {
      const folder = layout.machineDir(host.id)
      const config = await loadHostConfig({ file: join(folder, 'host.json') })
      expect(config.listen.rpc).toEqual({ hostname: host.address, port: 7400 })
      const enrollment = await readEnrollmentList(config.enrollmentFile, config.adminPublicKey)
      const key = await readHostKey(config.keyFile)
      expect(enrollment.find(host.id)?.publicKey).toBe(key.publicKeyBase64)
      expect(config.adminPublicKey).toBe(layout.adminPublicKey)
      const manifest = await readMachineManifest(folder)
      expect(manifest.validator !== undefined).toBe(host.validator)
    }
  })

  test('never writes a private key into another machine’s folder or the operator key into any machine', async () => {
    const privateKeys = new Map<string, string>()
    for (const host of description.hosts) {
      const folder = layout.machineDir(host.id)
      privateKeys.set(host.id, readFileSync(join(folder, 'host.pem'), 'utf8'))
      privateKeys.set(`${host.id}/tls`, readFileSync(join(folder, 'tls', 'key.pem'), 'utf8'))
      expect(statSync(join(folder, 'host.pem')).mode & 0o077).toBe(0)
    }
    for (const host of description.hosts.filter((h) => h.validator)) {
      const file = join(layout.machineDir(host.id), 'cometbft', 'config', 'priv_validator_key.json')
      privateKeys.set(`${host.id}/validator`, JSON.parse(readFileSync(file, 'utf8')).priv_key.value)
    }
    const operator = readFileSync(join(layout.adminDir, 'operator.pem'), 'utf8')
    const caKey = readFileSync(join(layout.adminDir, 'ca', 'ca.key'), 'utf8')
    for (const host of description.hosts) {
      const folder = layout.machineDir(host.id)
      for (const file of filesUnder(folder)) {
        const text = readFileSync(join(folder, file), 'utf8')
        expect(text.includes(operator.trim())).toBe(false)
        expect(text.includes(caKey.trim())).toBe(false)
        for (const [owner, pem] of privateKeys) {
          if (!owner.startsWith(`${host.id}/`) && owner !== host.id)
            expect(text.includes(pem.trim())).toBe(false)
        }
      }
    }
  })

  test('gives every validator the same genesis with the validator set, the enrolled signers and the chain id', () => {
    const validators = description.hosts.filter((h) => h.validator)
    const texts = validators.map((h) =>
      readFileSync(join(layout.machineDir(h.id), 'cometbft', 'config', 'genesis.json'), 'utf8'),
    )
    expect(new Set(texts).size).toBe(1)
    const genesis = JSON.parse(texts[0] as string)
    expect(genesis.chain_id).toBe('vigil-city-north')
    expect(genesis.validators.map((v: { name: string }) => v.name)).toEqual([
      'fog-1',
      'edge-1',
      'edge-2',
    ])
    expect(
      genesis.app_state.signers.map((s: { name: string; role: string }) => `${s.role}:${s.name}`),
    ).toEqual(['admin:operator', 'node:fog-1', 'node:edge-1', 'node:edge-2', 'node:edge-3'])
    const fogKey = readFileSync(join(layout.machineDir('fog-1'), 'host.pem'), 'utf8')
    expect(fogKey.length).toBeGreaterThan(0)
    expect(description.hosts.find((h) => h.id === 'edge-3')?.validator).toBe(false)
    expect(filesUnder(layout.machineDir('edge-3')).some((f) => f.startsWith('cometbft'))).toBe(
      false,
    )
  })

  test('peers every validator with the others by address and writes the contract addresses', () => {
    const config = readFileSync(
      join(layout.machineDir('edge-1'), 'cometbft', 'config', 'config.toml'),
      'utf8',
    )
    const peers = /^persistent_peers = "(.*)"$/m.exec(config)?.[1]?.split(',') ?? []
    expect(peers.map((p) => p.split('@')[1])).toEqual(['198.18.0.2:26656', '198.18.0.4:26656'])
    expect(config).toContain('laddr = "tcp://198.18.0.3:26657"')
    const ethereum = JSON.parse(
      readFileSync(join(layout.machineDir('edge-3'), 'ethereum.json'), 'utf8'),
    )
    expect(ethereum.contracts.Anchor).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3')
  })

  test('gives every gateway a certificate for its address from the domain CA, and HTTPS in its config', async () => {
    const ca = new X509Certificate(readFileSync(join(layout.adminDir, 'ca', 'ca.pem')))
    for (const host of description.hosts) {
      const folder = layout.machineDir(host.id)
      const cert = new X509Certificate(readFileSync(join(folder, 'tls', 'cert.pem')))
      expect(cert.checkIssued(ca)).toBe(true)
      expect(cert.verify(ca.publicKey)).toBe(true)
      expect(cert.subjectAltName).toBe(`IP Address:${host.address}`)
      const config = await loadHostConfig({ file: join(folder, 'host.json') })
      expect(config.tls?.certFile).toBe(join(folder, 'tls', 'cert.pem'))
      expect(layout.gatewayUrl(host.id)).toBe(`https://${host.address}:8080`)
    }
  })

  test('refuses to initialise over an existing domain', async () => {
    await expect(initDomain({ description, out: layout.out })).rejects.toBeInstanceOf(ConfigError)
  })
})

describe('vigil domain init with ethereum.anchoring', () => {
  const hosts = [
    { id: 'fog-1', role: 'fog', address: '198.18.0.2', validator: true },
    { id: 'edge-1', role: 'edge', address: '198.18.0.3' },
  ]
  const anchoringDescription = async (dir: string, files: { addresses: string; key: string }) =>
    domainDescriptionSchema.parse({
      domain: 'anchored',
      hosts,
      ethereum: {
        rpcUrl: 'http://198.18.0.6:8545',
        chainId: 31337,
        anchoring: { addressesFile: join(dir, files.addresses), keyFile: join(dir, files.key) },
      },
    })

  test('runs the Ethereum ledger actor on a fog host with the anchorer key copied to fog machines only', async () => {
    const dir = await tempDir()
    await Bun.write(join(dir, 'addresses.json'), '{"chainId":31337}')
    await Bun.write(join(dir, 'anchorer.key'), '0xanchorer-key\n')
    const description = await anchoringDescription(dir, {
      addresses: 'addresses.json',
      key: 'anchorer.key',
    })
    const layout = await initDomain({ description, out: join(dir, 'out') })
    const fog = layout.machineDir('fog-1')
    const edge = layout.machineDir('edge-1')
    expect(readFileSync(join(fog, 'ethereum.key'), 'utf8')).toBe('0xanchorer-key\n')
    expect(statSync(join(fog, 'ethereum.key')).mode & 0o077).toBe(0)
    expect(filesUnder(edge)).not.toContain('ethereum.key')
    expect(readFileSync(join(edge, 'ethereum-addresses.json'), 'utf8')).toBe('{"chainId":31337}')
    const config = JSON.parse(readFileSync(join(edge, 'host.json'), 'utf8'))
    const byName = (name: string) => config.actors.find((a: { name: string }) => a.name === name)
    expect(byName('ethereum')).toMatchObject({
      args: {
        keyFile: 'ethereum.key',
        anchoring: {
          domain: 'vigil-anchored',
          cometbftRpcUrl: 'http://198.18.0.2:26657',
          intervalMs: 5000,
        },
      },
      placement: { role: 'fog', fallback: 'none' },
    })
    expect(byName('integrity-edge-1').args.ethereumActor).toBe('ethereum')
  })

  test('refuses a missing anchorer key file, naming the field and the file', async () => {
    const dir = await tempDir()
    await Bun.write(join(dir, 'addresses.json'), '{}')
    const description = await anchoringDescription(dir, {
      addresses: 'addresses.json',
      key: 'missing.key',
    })
    const error = await initDomain({ description, out: join(dir, 'out') }).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('missing.key')
  })
})

describe('domain description', () => {
  test('refuses a domain without a validator, naming the field', () => {
    const result = domainDescriptionSchema.safeParse({
      domain: 'd',
      hosts: [{ id: 'a', role: 'fog', address: '10.0.0.1' }],
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toContain('validator: true')
  })

  test('refuses duplicate host ids', () => {
    const host = { id: 'a', role: 'fog', address: '10.0.0.1', validator: true }
    const result = domainDescriptionSchema.safeParse({ domain: 'd', hosts: [host, host] })
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['hosts.1.id'])
  })

  test('reports a file that is not YAML as CONFIG_INVALID', async () => {
    const dir = await tempDir()
    await Bun.write(join(dir, 'bad.yaml'), 'hosts: [unclosed')
    await expect(loadDomainDescription(join(dir, 'bad.yaml'))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    })
  })
})
