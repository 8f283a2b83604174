/**
 * The domain's own certificate authority and one gateway certificate per
 * host, made with the openssl command line (Debian's openssl): the CA key
 * stays in the operator's folder (`admin/ca/`); each host's TLS key is
 * generated in its own machine folder (`tls/key.pem`, 0600) and only its
 * certificate request goes to the CA. The certificate names the machine's
 * address (an IP or DNS subject alternative name), for HTTPS on the gateway.
 */
import { chmod, mkdir, rm } from 'node:fs/promises'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { ConfigError } from '../../runtime/index.ts'

export type DomainCa = { readonly certFile: string; readonly keyFile: string }

function openssl(args: readonly string[]): void {
  const run = Bun.spawnSync(['openssl', ...args], { stdout: 'pipe', stderr: 'pipe' })
  if (run.exitCode !== 0) {
    throw new ConfigError(
      [
        {
          path: 'tls',
          message: `openssl ${args[0]} failed (${run.stderr.toString().trim()}); install openssl or set tls: false`,
        },
      ],
      'vigil domain init',
    )
  }
}

/** `openssl req` arguments for a new, unencrypted P-256 key. */
const NEW_P256_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']

/** A self-signed P-256 CA for the domain, in `dir` (valid 10 years). */
export async function createDomainCa(dir: string, domain: string): Promise<DomainCa> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const ca = { certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'ca.key') }
  openssl([
    'req',
    '-x509',
    ...NEW_P256_KEY,
    '-keyout',
    ca.keyFile,
    '-out',
    ca.certFile,
    '-days',
    '3650',
    '-subj',
    `/CN=vigil ${domain} CA`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  await chmod(ca.keyFile, 0o600)
  return ca
}

/** The host's key (in `dir`) and its certificate for `address`, signed by the CA (valid 825 days). */
export async function issueHostCertificate(
  ca: DomainCa,
  dir: string,
  host: { id: string; address: string },
): Promise<{ certFile: string; keyFile: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  const request = join(dir, 'request.csr')
  const extensions = join(dir, 'extensions.cnf')
  const san = isIP(host.address) ? `IP:${host.address}` : `DNS:${host.address}`
  openssl(['req', ...NEW_P256_KEY, '-keyout', keyFile, '-out', request, '-subj', `/CN=${host.id}`])
  await chmod(keyFile, 0o600)
  await Bun.write(
    extensions,
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  )
  openssl([
    'x509',
    '-req',
    '-in',
    request,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-days',
    '825',
    '-out',
    certFile,
    '-extfile',
    extensions,
  ])
  await rm(request, { force: true })
  await rm(extensions, { force: true })
  await Bun.write(join(dir, 'ca.pem'), Bun.file(ca.certFile))
  return { certFile, keyFile }
}
