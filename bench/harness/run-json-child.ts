/**
 * Runs a bun script in a child process (a load generator, so its CPU is not the measured
 * process's) and returns the JSON object on the last line it prints. A non-zero exit throws
 * with the end of its stderr.
 */

/** Runs `bun <args…>` and parses its last stdout line; `what` names it in the error. */
export async function runJsonChild<T>(args: string[], what: string): Promise<T> {
  const child = Bun.spawn([process.execPath, ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  if (code !== 0) throw new Error(`${what} failed (${code}): ${stderr.slice(-500)}`)
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as T
}
