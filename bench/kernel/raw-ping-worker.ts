/** Benchmark baseline: echoes every message straight back to the parent thread. */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent) => void) | null
  postMessage(message: unknown): void
}
scope.onmessage = (event) => scope.postMessage(event.data)
scope.postMessage({ ready: true })

export {}
