/**
 * Benchmark baseline: a plain Bun worker with no kernel. As `echo` it
 * returns every message on its port; as `driver` it sends `n` messages
 * (one postMessage each, after `warmup` untimed ones) and reports when all
 * echoes are back.
 */
type Start = { role: 'echo' | 'driver'; port: MessagePort; n?: number; warmup?: number }

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Start>) => void) | null
  postMessage(message: unknown): void
}

scope.onmessage = (event) => {
  const { role, port, n = 0, warmup = 0 } = event.data
  if (role === 'echo') {
    port.onmessage = (message) => port.postMessage(message.data)
    scope.postMessage({ ready: true })
    return
  }
  // `warmup` messages first (echoed, not timed), so both ends are compiled before the timed
  // `n`, as the actor bench warms its actors up before it measures.
  let received = 0
  let timed = warmup === 0
  let started = performance.now()
  const send = (count: number) => {
    for (let seq = 0; seq < count; seq++) port.postMessage({ seq })
  }
  port.onmessage = () => {
    received++
    if (!timed && received === warmup) {
      timed = true
      received = 0
      started = performance.now()
      send(n)
    } else if (timed && received === n) {
      scope.postMessage({ elapsedMs: performance.now() - started })
    }
  }
  send(timed ? n : warmup)
}

export {}
