import { describe, expect, test } from 'bun:test'
import { applyThreadPriority, type PriorityOs } from './thread-priority.ts'

/** An OS whose process runs at `base` and whose threads start there; `refuse` fails raises. */
function fakeOs(base: number, refuse?: string): PriorityOs & { nice: Map<number, number> } {
  const nice = new Map<number, number>([[process.pid, base]])
  return {
    nice,
    platform: 'linux',
    threadId: () => 4242,
    getPriority: (id) => nice.get(id) ?? base,
    setPriority: (id, value) => {
      if (refuse && value < (nice.get(id) ?? base)) {
        // As node:os throws it: a SystemError whose errno name is in `info`.
        throw Object.assign(new Error('setpriority failed'), {
          code: 'ERR_SYSTEM_ERROR',
          info: { code: refuse },
        })
      }
      nice.set(id, value)
    },
  }
}

describe('applyThreadPriority', () => {
  test('moves the thread ten nice steps from the process, up for high and down for low', () => {
    expect(applyThreadPriority('high', fakeOs(0))).toEqual({ applied: true, nice: -10 })
    expect(applyThreadPriority('low', fakeOs(0))).toEqual({ applied: true, nice: 10 })
    expect(applyThreadPriority('normal', fakeOs(5))).toEqual({ applied: true, nice: 5 })
  })

  test('keeps within the nice range of -20 to 19', () => {
    expect(applyThreadPriority('high', fakeOs(-15))).toEqual({ applied: true, nice: -20 })
    expect(applyThreadPriority('low', fakeOs(15))).toEqual({ applied: true, nice: 19 })
  })

  test('says a raise needs CAP_SYS_NICE when the OS refuses it, and leaves the thread as it was', () => {
    const os = fakeOs(0, 'EACCES')
    const outcome = applyThreadPriority('high', os)
    expect(outcome.applied).toBe(false)
    expect(outcome.applied === false && outcome.reason).toContain('CAP_SYS_NICE')
    expect(os.nice.has(4242)).toBe(false)
  })

  test('refuses with the reason on a system without per-thread priorities', () => {
    const outcome = applyThreadPriority('low', { ...fakeOs(0), platform: 'darwin' })
    expect(outcome).toEqual({
      applied: false,
      reason: 'per-thread priorities need Linux, not darwin',
    })
  })
})
