/**
 * A bare TCP client for fuzzing listeners: write bytes, read the next chunk
 * or learn that the peer closed, each with a deadline (a real socket, so the
 * wait is bounded by a timeout rather than an injected clock).
 */
import type { Socket } from 'bun'

export type RawSocket = {
  write(bytes: Uint8Array): void
  /** The next chunk received, or undefined once closed or after `timeoutMs` of silence. */
  read(timeoutMs: number): Promise<Uint8Array | undefined>
  /** True once the peer closed, false if it is still open after `timeoutMs`. */
  closed(timeoutMs: number): Promise<boolean>
  readonly isClosed: boolean
  close(): void
}

type State = {
  chunks: Uint8Array[]
  closed: boolean
  wake: (() => void) | undefined
  pending: Uint8Array[]
}

/** Connects to `hostname:port`. */
export async function rawConnect(address: { hostname: string; port: number }): Promise<RawSocket> {
  const state: State = { chunks: [], closed: false, wake: undefined, pending: [] }
  const notify = () => {
    const wake = state.wake
    state.wake = undefined
    wake?.()
  }
  const socket: Socket<undefined> = await Bun.connect({
    hostname: address.hostname,
    port: address.port,
    socket: {
      data(_socket, chunk) {
        state.chunks.push(new Uint8Array(chunk))
        notify()
      },
      drain(socket) {
        while (state.pending.length > 0) {
          const head = state.pending[0] as Uint8Array
          const written = socket.write(head)
          if (written < head.length) {
            state.pending[0] = head.subarray(Math.max(0, written))
            return
          }
          state.pending.shift()
        }
      },
      close() {
        state.closed = true
        notify()
      },
      error() {
        state.closed = true
        notify()
      },
    },
  })
  const wait = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      state.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  return {
    write(bytes) {
      if (state.closed) return
      if (state.pending.length > 0) state.pending.push(bytes)
      else {
        const written = socket.write(bytes)
        if (written < bytes.length) state.pending.push(bytes.subarray(Math.max(0, written)))
      }
    },
    async read(timeoutMs) {
      if (state.chunks.length === 0 && !state.closed) await wait(timeoutMs)
      return state.chunks.shift()
    },
    async closed(timeoutMs) {
      const deadline = Date.now() + timeoutMs
      while (!state.closed && Date.now() < deadline) {
        state.chunks.length = 0
        await wait(deadline - Date.now())
      }
      return state.closed
    },
    get isClosed() {
      return state.closed
    },
    close() {
      socket.end()
    },
  }
}
