/** Lowercase hex ↔ bytes, strict: odd lengths and non-hex characters are refused. */

const HEX_PATTERN = /^(?:[0-9a-fA-F]{2})*$/

/** Bytes as lowercase hex, no 0x. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** True when `text` is an even-length hex string (no 0x). */
export function isHex(text: string): boolean {
  return HEX_PATTERN.test(text)
}

/** Parses hex (no 0x); throws a RangeError on anything else. */
export function fromHex(text: string): Uint8Array {
  if (!isHex(text)) throw new RangeError('expected an even-length hex string without 0x')
  return new Uint8Array(Buffer.from(text, 'hex'))
}
