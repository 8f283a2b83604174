/**
 * How long-running commands wait to stop. One Ctrl-C can arrive twice: from
 * the terminal (to its whole foreground process group) and again from a
 * parent in that group that passes signals on (scripts/bootstrap.mjs avoids
 * this by running its command in a group of its own; other launchers may
 * not). A repeat within
 * `duplicateMs` of the first is that same request and is ignored, so it
 * cannot kill the process halfway through its orderly stop; one after that
 * is the user asking again, and exits at once (128 + the signal's number).
 */
import { type Clock, systemClock } from '../clock/clock.ts'

export type StopSignalOptions = {
  /** A repeat this soon after the first signal is the same request, ms (default 1,000). */
  readonly duplicateMs?: number | undefined
  readonly clock?: Clock | undefined
  /** Where signals come from (default `process`). */
  readonly signals?: Pick<NodeJS.Process, 'on' | 'off'> | undefined
  /** How a later repeat ends the process (default `process.exit`). */
  readonly exit?: ((code: number) => void) | undefined
}

const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 }

/** Resolves with the signal when the process gets SIGINT (Ctrl-C) or SIGTERM. */
export function waitForStopSignal(options: StopSignalOptions = {}): Promise<NodeJS.Signals> {
  const signals = options.signals ?? process
  const clock = options.clock ?? systemClock
  const duplicateMs = options.duplicateMs ?? 1_000
  const exit = options.exit ?? ((code: number) => process.exit(code))
  return new Promise((resolve) => {
    let firstAt: number | undefined
    const onSignal = (signal: NodeJS.Signals) => {
      if (firstAt === undefined) {
        firstAt = clock.now()
        resolve(signal)
      } else if (clock.now() - firstAt > duplicateMs) {
        signals.off('SIGINT', onSignal)
        signals.off('SIGTERM', onSignal)
        exit(EXIT_CODES[signal] ?? 1)
      }
    }
    signals.on('SIGINT', onSignal)
    signals.on('SIGTERM', onSignal)
  })
}
