/**
 * The garbage collector's pauses in a process started with `BUN_JSC_logGC=1`,
 * read from its stderr: JavaScriptCore logs each stop-the-world increment of
 * a collection as `p=<ms>ms` on a line tagged with its heap (`[GC<0x…>: …]`;
 * the main thread and each worker have a heap of their own). `pausesSince`
 * sums them per heap from a mark, so a bench can say how long the collector
 * stopped each thread during a run.
 */
const HEAP = /^\[GC<(0x[0-9a-f]+)>/
const PAUSE = /\bp=([\d.]+)ms/g

export type HeapPauses = { heap: string; pauses: number; totalMs: number; maxMs: number }

export class GcPauseLog {
  readonly #pauses: { heap: string; ms: number }[] = []

  /** Reads one stderr line of the process (other lines are ignored). */
  line(text: string): void {
    const heap = HEAP.exec(text)?.[1]
    if (heap === undefined) return
    for (const match of text.matchAll(PAUSE)) this.#pauses.push({ heap, ms: Number(match[1]) })
  }

  /** A position in the log, for {@link GcPauseLog.pausesSince}. */
  mark(): number {
    return this.#pauses.length
  }

  /** Pauses logged since `mark`, per heap, the heap with the most pause time first. */
  pausesSince(mark: number): HeapPauses[] {
    const byHeap = new Map<string, HeapPauses>()
    for (const { heap, ms } of this.#pauses.slice(mark)) {
      const entry = byHeap.get(heap) ?? { heap, pauses: 0, totalMs: 0, maxMs: 0 }
      entry.pauses++
      entry.totalMs += ms
      entry.maxMs = Math.max(entry.maxMs, ms)
      byHeap.set(heap, entry)
    }
    return [...byHeap.values()].sort((a, b) => b.totalMs - a.totalMs)
  }
}
