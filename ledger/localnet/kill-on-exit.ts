/**
 * No orphans: every child a localnet spawns is tracked, and those still alive
 * are killed when this process exits (the last resort when stop() never ran,
 * as in a crashed test run).
 */
import type { Subprocess } from 'bun'

const live = new Set<Subprocess>()
let exitHookInstalled = false

/** Kills `proc` with SIGKILL if it is still running when this process exits. */
export function killOnExit(proc: Subprocess): void {
  live.add(proc)
  void proc.exited.then(() => live.delete(proc))
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL')
  })
}
