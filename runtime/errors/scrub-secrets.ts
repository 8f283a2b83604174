/**
 * Removes secrets from text that may reach a log, an error or an HTTP body:
 * credentials in URLs (`user:pass@`), PEM private-key blocks and
 * `private_key=`/`token=`/`secret=`/`password=` assignments. Bare 32-byte hex
 * strings are left alone: hashes and roots look the same and must stay readable.
 */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g
const ASSIGNMENT =
  /\b(private[_-]?key|secret|password|passphrase|token)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi

export function scrubSecrets(text: string): string {
  return text
    .replace(PEM_BLOCK, '[redacted private key]')
    .replace(URL_CREDENTIALS, '$1[redacted]@')
    .replace(ASSIGNMENT, '$1$2[redacted]')
}
