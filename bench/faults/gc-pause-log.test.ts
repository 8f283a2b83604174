import { describe, expect, test } from 'bun:test'
import { GcPauseLog } from './gc-pause-log.ts'

// Lines as JavaScriptCore's logGC prints them (bun 1.4.5), shortened in the middle.
const START =
  '[GC<0x2b5dc99c118>: START M 8838kb => EdenCollection, a=0kb hf=0.000 mu=0.600 v=0kb (C:0 M:0) o=0 b=0 450+0 p=3.365724ms (max 3.365724)...]'
const STEP =
  '[GC<0x2b5dc99c118>: M a=485kb hf=0.148 mu=0.511 v=4049kb (C:4049 M:0) o=1 b=2 0+2 p=2.914857ms (max 3.365724)...]'
const END =
  '[GC<0x2b5dc99c118>: M a=2876kb i#5:P<Msm(0)SrbCsMsrShDBcsCbDomoWsOJw>Pbc => 5211kb, p=5.813495ms (max 5.813495), cycle 18.180929ms END]'
const WORKER =
  '[GC<0x40049880118>: START M 900kb => EdenCollection, a=0kb 3+3 p=1.5ms (max 1.5)...]'

describe('GcPauseLog', () => {
  test('sums the pauses of each heap, the heap with the most pause time first', () => {
    const log = new GcPauseLog()
    for (const line of [START, STEP, WORKER, END]) log.line(line)
    const [main, worker] = log.pausesSince(0)
    expect(main?.heap).toBe('0x2b5dc99c118')
    expect(main?.pauses).toBe(3)
    expect(main?.totalMs).toBeCloseTo(3.365724 + 2.914857 + 5.813495, 6)
    expect(main?.maxMs).toBeCloseTo(5.813495, 6)
    expect(worker).toEqual({ heap: '0x40049880118', pauses: 1, totalMs: 1.5, maxMs: 1.5 })
  })

  test('counts only what was logged after the mark, and ignores lines that are not GC logs', () => {
    const log = new GcPauseLog()
    log.line(START)
    const mark = log.mark()
    log.line('{"event":"host.ready","p=1ms":true}')
    log.line('Requesting GC because bytes allocated this cycle: 8389402 exceed bytes allowed')
    log.line(STEP)
    expect(log.pausesSince(mark)).toEqual([
      { heap: '0x2b5dc99c118', pauses: 1, totalMs: 2.914857, maxMs: 2.914857 },
    ])
  })
})
