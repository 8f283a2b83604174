/**
 * Test support: a TCP transport whose outbound streams pass every write
 * through `mutate` once armed, to forge tampered, replayed or truncated
 * frames after an honest handshake.
 */
import { createTcpTransport } from './tcp-transport.ts'
import type { ByteStream, Transport } from './transport.ts'

export type Tamper = {
  /** Rewrites are applied only while this is true. */
  armed: boolean
  /** Returns the chunks to send instead of `bytes`. */
  mutate(bytes: Uint8Array): Uint8Array[]
}

/** Creates the tampering transport; flip `tamper.armed` to start forging. */
export function createTamperingTransport(tamper: Tamper): Transport {
  const tcp = createTcpTransport()
  return {
    name: 'tampering-tcp',
    listen: (options) => tcp.listen(options),
    async connect(options) {
      const stream = await tcp.connect(options)
      const wrapped: ByteStream = {
        get remoteAddress() {
          return stream.remoteAddress
        },
        get bufferedBytes() {
          return stream.bufferedBytes
        },
        attach: (handlers) => stream.attach(handlers),
        close: () => stream.close(),
        pause: () => stream.pause(),
        resume: () => stream.resume(),
        write(bytes) {
          if (!tamper.armed) return stream.write(bytes)
          let ok = true
          for (const part of tamper.mutate(bytes)) ok = stream.write(part)
          return ok
        },
      }
      return wrapped
    },
  }
}

/** Flips the last bit of a write (inside the GCM tag of the frame it ends). */
export function flipLastBit(bytes: Uint8Array): Uint8Array[] {
  const copy = new Uint8Array(bytes)
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01
  return [copy]
}
