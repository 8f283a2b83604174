/**
 * Runs a bun script in a child process (a load generator, so its CPU is not the measured
 * process's; or one run of a scenario) and returns the JSON object on the last line it prints.
 * A non-zero exit throws with the end of its stderr, or, when its stderr is shown as it runs
 * (`showLog`), pointing at it.
 */

import { childOutput } from './child-output.ts'

/** Runs `bun <args…>` and parses its last stdout line; `what` names it in the error. */
export async function runJsonChild<T>(
  args: string[],
  what: string,
  { showLog = false }: { showLog?: boolean } = {},
): Promise<T> {
  const child = Bun.spawn([process.execPath, ...args], {
    stdout: 'pipe',
    stderr: showLog ? 'inherit' : 'pipe',
  })
  const { stdout, stderr, code } = await childOutput(child)
  if (code !== 0) {
    throw new Error(
      `${what} failed (${code}): ${showLog ? 'its log is above' : stderr.slice(-500)}`,
    )
  }
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as T
}
