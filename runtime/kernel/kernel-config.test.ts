import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../config/config-error.ts'
import { defaultKernelConfig, loadKernelConfig } from './kernel-config.ts'

describe('kernel config', () => {
  test('has a documented default for every field', () => {
    expect(defaultKernelConfig).toEqual({
      mailboxCapacity: 1024,
      overflow: 'reject',
      dispatchCredits: 256,
      askTimeoutMs: 5000,
      restartIntensity: 10,
      restartPeriodMs: 10_000,
      backoffMinMs: 10,
      backoffMaxMs: 5000,
      shutdownDeadlineMs: 5000,
      startTimeoutMs: 15_000,
      simulateSerialization: true,
      workerSmol: false,
      spareWorkers: 1,
      deadLetterCapacity: 1000,
      directLinkAfter: 64,
    })
  })

  test('reads VIGIL_KERNEL__* variables and overrides', async () => {
    const config = await loadKernelConfig({
      env: { VIGIL_KERNEL__MAILBOX_CAPACITY: '64', VIGIL_KERNEL__OVERFLOW: 'drop-oldest' },
      overrides: { askTimeoutMs: 250 },
    })
    expect(config).toMatchObject({
      mailboxCapacity: 64,
      overflow: 'drop-oldest',
      askTimeoutMs: 250,
    })
  })

  test('names every bad field and what is allowed', async () => {
    const error = await loadKernelConfig({
      env: { VIGIL_KERNEL__MAILBOX_CAPACITY: '0', VIGIL_KERNEL__OVERFLOW: 'block' },
    }).catch((caught: unknown) => caught)
    expect(ConfigError.is(error)).toBe(true)
    expect((error as ConfigError).problems.map((problem) => problem.path)).toEqual([
      'kernel.mailboxCapacity',
      'kernel.overflow',
    ])
    expect((error as ConfigError).message).toContain('reject')
  })
})
