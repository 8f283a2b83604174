/**
 * An actor's scheduling priority: the nice value of its worker thread, set by
 * the worker itself when the actor starts. On a host with fewer cores than busy
 * threads, the kernel's scheduler shares time fairly between runnable threads,
 * so an actor every other one waits on (one writer in front of its database)
 * waits in the run queue as long as any other; `high` lets it run first, `low`
 * lets it yield to the rest. Relative to the process's own nice value, so an
 * operator's `nice` of the whole host still applies.
 *
 * Lowering a nice value needs CAP_SYS_NICE (or an RLIMIT_NICE that allows it);
 * without it `high` is refused and the actor runs at the process's priority.
 * Threads have their own nice values on Linux only.
 */
import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'

/** The priorities an actor can ask for. */
export const THREAD_PRIORITIES = ['high', 'normal', 'low'] as const

/** `normal` is the process's own priority; `high` and `low` are 10 nice steps away from it. */
export type ThreadPriority = (typeof THREAD_PRIORITIES)[number]

/** Nice steps from the process's nice value. */
const STEPS: Record<ThreadPriority, number> = { high: -10, normal: 0, low: 10 }

/** What applying a priority came to: the thread's nice value, or why it stayed as it was. */
export type PriorityOutcome =
  | { readonly applied: true; readonly nice: number }
  | { readonly applied: false; readonly reason: string }

/** The OS calls (injectable for tests of the refusals). */
export type PriorityOs = {
  readonly platform: string
  readonly threadId: () => number
  readonly getPriority: (id: number) => number
  readonly setPriority: (id: number, nice: number) => void
}

const linux: PriorityOs = {
  platform: process.platform,
  // /proc/thread-self links to /proc/<pid>/task/<tid>: the calling thread's id.
  threadId: () => Number(readlinkSync('/proc/thread-self').split('/').pop()),
  getPriority,
  setPriority,
}

/** Sets the calling thread's nice value for `priority`; never throws. */
export function applyThreadPriority(
  priority: ThreadPriority,
  os: PriorityOs = linux,
): PriorityOutcome {
  if (os.platform !== 'linux') {
    return { applied: false, reason: `per-thread priorities need Linux, not ${os.platform}` }
  }
  try {
    const nice = Math.max(-20, Math.min(19, os.getPriority(process.pid) + STEPS[priority]))
    const thread = os.threadId()
    os.setPriority(thread, nice)
    return { applied: true, nice: os.getPriority(thread) }
  } catch (error) {
    // Node's SystemError carries the errno name in `info.code` (its own `code` is ERR_SYSTEM_ERROR).
    const failure = error as { code?: string; info?: { code?: string } }
    const code = failure.info?.code ?? failure.code
    return {
      applied: false,
      reason:
        code === 'EACCES' || code === 'EPERM'
          ? `raising a thread's priority needs CAP_SYS_NICE or a higher RLIMIT_NICE (${code}); it runs at the process's priority`
          : `the thread's priority could not be set (${code ?? String(error)})`,
    }
  }
}
