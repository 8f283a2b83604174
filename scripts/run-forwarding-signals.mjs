/**
 * Runs the command behind `npm start` / `npm test` as a child that stops,
 * with everything it started, when this process is asked to stop. A
 * terminal's Ctrl-C reaches only the terminal's foreground group; SIGTERM
 * from a process manager, `kill <pid>` or npm reaches only this process;
 * and npm 11 does not forward a SIGTERM it gets. So the child runs in a
 * process group of its own, and each stop request is sent to that whole
 * group, once (SIGHUP as SIGTERM, which vigil's commands stop in order on):
 * the child and what it started (validators, anvil, hosts; a test's
 * servers) see it as they would a Ctrl-C in a terminal. The same happens
 * once this process's parent is gone (it is then re-parented: its parent pid
 * changes; checked every `parentCheckMs`), and when the child exits, what it
 * left behind in its group is stopped (SIGTERM).
 *
 * Plain Node on purpose: bootstrap.mjs runs before Bun exists.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:os'

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP']
/** What the group is sent for each: vigil's commands stop in order on SIGINT and SIGTERM. */
const AS = { SIGINT: 'SIGINT', SIGTERM: 'SIGTERM', SIGHUP: 'SIGTERM' }

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: nothing is left in the group.
  }
}

/** Resolves with the child's exit code (128 + the signal's number if a signal ended it). */
export function runForwardingSignals(command, args, options = {}) {
  const { parentCheckMs = 1_000, ...spawnOptions } = options
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      ...spawnOptions,
      detached: true,
    })
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup(child.pid, AS[signal] ?? 'SIGTERM')
      }
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
      signalGroup(child.pid, 'SIGTERM')
      done(code ?? 128 + (constants.signals[signal] ?? 0))
    })
  })
}
