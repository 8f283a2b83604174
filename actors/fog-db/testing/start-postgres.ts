/**
 * Test set-up: a real PostgreSQL server from Debian's packages (initdb +
 * pg_ctl) in a temporary folder, on a free loopback port, trust auth for the
 * local user only. As root (CI, fresh machines) the server runs as the
 * `postgres` system user, since PostgreSQL refuses to run as root. Set
 * VIGIL_PG_URL to use an existing server instead.
 */
import { spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

export type TestPostgres = {
  readonly url: string
  /** Stops and starts the server (a fog host restart). */
  restart(): void
  stop(): void
  [Symbol.dispose](): void
}

/** Folder of initdb/pg_ctl: VIGIL_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. */
function postgresBin(): string {
  const fromEnv = process.env.VIGIL_PG_BIN
  if (fromEnv) return fromEnv
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base)
    ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    : []
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]
  if (!newest) {
    throw new Error(
      'PostgreSQL is not installed: run `npm run setup` as root (it installs Debian’s postgresql) or `sudo apt-get install -y postgresql`, or set VIGIL_PG_URL',
    )
  }
  return join(base, newest, 'bin')
}

function freePort(): number {
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = listener.port
  listener.stop(true)
  return port
}

/** Starts a throwaway PostgreSQL server; `stop()` (or dispose) removes it. */
export function startTestPostgres(): TestPostgres {
  const existing = process.env.VIGIL_PG_URL
  if (existing) return { url: existing, restart() {}, stop() {}, [Symbol.dispose]() {} }
  const bin = postgresBin()
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pg-'))
  const asRoot = process.getuid?.() === 0
  const user = asRoot ? 'postgres' : userInfo().username
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
    chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()))
  }
  const run = (tool: string, args: string[]) => {
    const command = asRoot
      ? ['runuser', '-u', 'postgres', '--', join(bin, tool), ...args]
      : [join(bin, tool), ...args]
    const result = spawnSync(command[0] as string, command.slice(1), { encoding: 'utf8' })
    if (result.status !== 0) {
      throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`)
    }
  }
  const data = join(dir, 'data')
  const port = freePort()
  run('initdb', ['-D', data, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`
  const start = () =>
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start'])
  const stopServer = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
  start()
  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    try {
      stopServer()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return {
    url: `postgres://${user}@127.0.0.1:${port}/postgres`,
    restart() {
      stopServer()
      start()
    },
    stop,
    [Symbol.dispose]: stop,
  }
}
