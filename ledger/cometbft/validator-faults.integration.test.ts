import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { type Localnet, startLocalnet } from '../localnet/start-localnet.ts'
import { runValidatorFaults, type ValidatorFaultReport } from '../testing/index.ts'

// A real 4-validator network under load, two validator restarts and a halt.
setDefaultTimeout(60_000)

describe('the CometBFT ledger client under validator faults (4-validator localnet, 1,000 records/s)', () => {
  let net: Localnet
  let report: ValidatorFaultReport
  beforeAll(async () => {
    net = await startLocalnet({ validators: 4 })
    const started = performance.now()
    const lines: string[] = []
    const log = (text: string) =>
      lines.push(`${Math.round(performance.now() - started)} ms ${text}`)
    try {
      report = await runValidatorFaults({
        net,
        recordsPerS: 1_000,
        phaseRecords: 1_000,
        haltRecords: 1_500,
        // Held transactions time out (LEDGER_TIMEOUT) well within the test if nothing resends them.
        ledger: { batchSize: 128, flushIntervalMs: 10, confirmTimeoutMs: 15_000 },
        waitMs: 30_000,
        log,
      })
    } finally {
      // What happened when, for a failing run's reader.
      if (!report || report.offered !== report.acknowledged || report.forkDetected)
        console.error(lines.join('\n'), report && JSON.stringify(report, null, 1))
    }
  })
  afterAll(async () => {
    await net?.stop()
  })

  test('loses no acknowledged record: each is queryable by key and its receipt verifies on the chain', () => {
    expect(report.acknowledged).toBeGreaterThan(3_000)
    expect(report.check.firstProblem).toBeNull()
    expect(report.lost).toBe(0)
    expect(report.check.queried).toBe(report.acknowledged)
  })

  test('acknowledges nothing while the chain is halted', () => {
    expect(report.acknowledgedWhileHalted).toBe(0)
  })

  test('holds and resends the batches a stopped node or the halt caught, so every offered record commits', () => {
    expect(report.failedByCode).toEqual({})
    expect(report.acknowledged).toBe(report.offered)
  })

  test('writes no record twice: the chain holds exactly the acknowledged records and the failed ones that went out', () => {
    expect(report.duplicated).toBe(0)
    expect(report.recordsOnChain).toEqual([1, 2, 3, 4].map(() => report.recordsExpected))
  })

  test('forks at no height: all 4 validators hold the same block and app hash everywhere', () => {
    expect(report.agreement.heights).toBeGreaterThan(5)
    expect(report.agreement.forkedHeights).toEqual([])
    expect(report.agreement.appsAgree).toBe(true)
    expect(report.forkDetected).toBe(false)
  })

  test('resumes after each restart: the returned validator catches up, the halted chain commits again', () => {
    expect(report.oneDownResumeMs).toBeGreaterThan(0)
    expect(report.oneDownResumeMs).toBeLessThan(20_000)
    expect(report.twoDownResumeMs).toBeGreaterThan(0)
    expect(report.twoDownResumeMs).toBeLessThan(20_000)
  })
})
