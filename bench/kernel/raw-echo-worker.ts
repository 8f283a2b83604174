/**
 * Benchmark baseline: a plain Bun worker with no kernel. As `echo` it
 * returns every message on its port; as `driver` it sends `n` messages
 * (one postMessage each) and reports when all echoes are back.
 */
type Start = { role: 'echo' | 'driver'; port: MessagePort; n?: number }

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Start>) => void) | null
  postMessage(message: unknown): void
}

scope.onmessage = (event) => {
  const { role, port, n = 0 } = event.data
  if (role === 'echo') {
    port.onmessage = (message) => port.postMessage(message.data)
    scope.postMessage({ ready: true })
    return
  }
  let received = 0
  const started = performance.now()
  port.onmessage = () => {
    received++
    if (received === n) scope.postMessage({ elapsedMs: performance.now() - started })
  }
  for (let seq = 0; seq < n; seq++) port.postMessage({ seq })
}

export {}
