/**
 * Runs the command behind `npm start` / `npm test` as a child that stops
 * when this process is asked to stop. A terminal's Ctrl-C reaches the whole
 * process group, but SIGTERM from a process manager, `kill <pid>`, or npm
 * forwarding a signal reaches only this process (SIGHUP is passed on as
 * SIGTERM, which vigil's commands stop in order on): without forwarding, the
 * child (and the domain it runs) would live on after this process died.
 * The child's own stop handling ignores the duplicate a Ctrl-C then makes
 * (runtime/cli/wait-for-stop-signal.ts). npm 11 does not forward a SIGTERM
 * it gets, and nothing is told when npm is killed outright, so the child is
 * also stopped (SIGTERM) once this process's parent is gone (it is then
 * re-parented: its parent pid changes), checked every `parentCheckMs`.
 *
 * Plain Node on purpose: bootstrap.mjs runs before Bun exists.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:os'

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP']
/** What the child is sent for each: vigil's commands stop in order on SIGINT and SIGTERM. */
const AS = { SIGINT: 'SIGINT', SIGTERM: 'SIGTERM', SIGHUP: 'SIGTERM' }

/** Resolves with the child's exit code (128 + the signal's number if a signal ended it). */
export function runForwardingSignals(command, args, options = {}) {
  const { parentCheckMs = 1_000, ...spawnOptions } = options
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', ...spawnOptions })
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(AS[signal] ?? 'SIGTERM')
    }
    for (const signal of FORWARDED) process.on(signal, forward)
    const parent = process.ppid
    const watch = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(watch)
        forward('SIGTERM')
      }
    }, parentCheckMs)
    const done = (code) => {
      clearInterval(watch)
      for (const signal of FORWARDED) process.off(signal, forward)
      resolve(code)
    }
    child.on('error', (error) => {
      process.stderr.write(`could not run ${command}: ${error.message}\n`)
      done(1)
    })
    child.on('exit', (code, signal) => {
      done(code ?? 128 + (constants.signals[signal] ?? 0))
    })
  })
}
