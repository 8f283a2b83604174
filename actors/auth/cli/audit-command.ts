/**
 * `vigil audit tail [--file F] [-n N] [--follow] [--json]`: the last
 * entries of a host's security audit log (refusals, administrative
 * actions, sign-ins), one readable line each, or the raw JSON lines.
 */
import { open, stat } from 'node:fs/promises'
import type { Command } from '../../../runtime/index.ts'

export const DEFAULT_AUDIT_FILE = '.data/vigil/audit.log'

function readable(line: string): string {
  try {
    const e = JSON.parse(line) as Record<string, string | undefined>
    const target = e.actor ? ` ${e.actor}/${e.message}` : ''
    const right = e.resource ? ` (${e.resource} ${e.action})` : ''
    const why = e.code ? ` ${e.code}: ${e.reason ?? ''}` : ''
    return `${e.ts} ${e.host} ${e.event} ${e.principal}${target}${right}${why}`
  } catch {
    return line
  }
}

const tailCommand: Command = {
  name: 'tail',
  summary: 'print the last audit entries (refusals, admin actions, sign-ins)',
  usage: '[--file F] [-n N] [--follow] [--json]',
  options: {
    file: { type: 'string', description: 'audit log file', default: DEFAULT_AUDIT_FILE },
    lines: { type: 'string', short: 'n', description: 'entries to print', default: '20' },
    follow: { type: 'boolean', short: 'f', description: 'keep printing new entries' },
    json: { type: 'boolean', description: 'print the raw JSON lines' },
  },
  async run({ values, out, err }) {
    const path = String(values.file)
    if (!(await Bun.file(path).exists())) {
      err(`no audit log at ${path} (is the domain running? --file names another)`)
      return 1
    }
    const show = (line: string) => out(values.json ? line : readable(line))
    const text = await Bun.file(path).text()
    const lines = text.split('\n').filter(Boolean)
    for (const line of lines.slice(-Number(values.lines))) show(line)
    if (!values.follow) return 0
    let offset = (await stat(path)).size
    for (;;) {
      await Bun.sleep(500)
      const size = (await stat(path)).size
      if (size <= offset) continue
      const handle = await open(path, 'r')
      const buffer = Buffer.alloc(size - offset)
      await handle.read(buffer, 0, buffer.length, offset)
      await handle.close()
      offset = size
      for (const line of buffer.toString('utf8').split('\n').filter(Boolean)) show(line)
    }
  },
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'read the security audit log',
  subcommands: [tailCommand],
}
