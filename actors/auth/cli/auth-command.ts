/**
 * `vigil auth sign-in --key FILE --gateway URL`: signs in with an account
 * key (a file holding one 0x hex secp256k1 key; never an argument) and
 * prints the session token alone on stdout, so
 * `TOKEN=$(bun run vigil auth sign-in …)` then
 * `curl -H "authorization: Bearer $TOKEN" …` works. `--json` prints the
 * address and expiry too.
 */
import { loadKeyFile } from '../../../ledger/index.ts'
import { type Command, stringFlag } from '../../../runtime/index.ts'
import { signIn } from '../sign-in-client.ts'

const signInCommand: Command = {
  name: 'sign-in',
  summary: 'sign in with an account key (EIP-4361) and print a session token',
  usage: '--key FILE --gateway URL [--json]',
  options: {
    key: { type: 'string', description: 'file with the account private key (0x hex)' },
    gateway: { type: 'string', description: 'gateway URL, e.g. http://127.0.0.1:8080' },
    json: { type: 'boolean', description: 'print {token, address, expiresAt} as JSON' },
  },
  async run({ values, out, err }) {
    const key = stringFlag(values, 'key')
    const gateway = stringFlag(values, 'gateway')
    if (key === undefined || gateway === undefined) {
      err('give --key FILE and --gateway URL')
      return 2
    }
    const result = await signIn(gateway, await loadKeyFile(key))
    out(values.json ? JSON.stringify(result) : result.token)
    return 0
  },
}

export const authCommand: Command = {
  name: 'auth',
  summary: 'sign in to a vigil gateway',
  subcommands: [signInCommand],
}
