/**
 * A fresh Ed25519 host key written as PKCS#8 PEM (mode 0600) at `<dir>/<name>.pem`, with the
 * public key the integrity actor's batches will carry: the tests' stand-in for an operator's
 * host key file.
 */
import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { batchSignerFrom } from '../host-key.ts'

export function writeHostKeyFile(dir: string, name: string): { path: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519')
  const path = join(dir, `${name}.pem`)
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
  return { path, publicKey: batchSignerFrom(privateKey).publicKey }
}
