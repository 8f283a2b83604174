/**
 * Parses an operator's right on the command line:
 * `<resource>:<action>[,zone=<name>][,types=<type>+<type>…][,window=HH:MM-HH:MM]`, e.g.
 * `/enf/records:read,zone=zone-a,types=edge+fog,window=08:00-18:00` (UTC; a window may wrap past
 * midnight). Throws UsageError naming the problem.
 */
import { UsageError } from '../../../runtime/index.ts'
import { type AccessRight, accessRightSchema } from '../ethereum-ledger-protocol.ts'

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/

/** The right a `--right` value describes. */
export function parseRightSpec(spec: string): AccessRight {
  const [head = '', ...conditions] = spec.split(',')
  const colon = head.lastIndexOf(':')
  if (colon <= 0 || colon === head.length - 1) {
    throw new UsageError(
      `--right '${spec}' must start with <resource>:<action>, e.g. /enf/records:read`,
    )
  }
  const right: Record<string, unknown> = {
    resource: head.slice(0, colon),
    action: head.slice(colon + 1),
  }
  for (const condition of conditions) {
    const [key, value = ''] = condition.split('=', 2)
    if (key === 'zone') right.zone = value
    else if (key === 'types') right.nodeTypes = value.split('+')
    else if (key === 'window') right.timeWindow = parseWindow(value, spec)
    else
      throw new UsageError(
        `--right '${spec}': unknown condition '${key}' (use zone=, types=, window=)`,
      )
  }
  const parsed = accessRightSchema.safeParse(right)
  if (!parsed.success) {
    throw new UsageError(
      `--right '${spec}': ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  }
  return parsed.data
}

function parseWindow(value: string, spec: string) {
  const [start = '', end = ''] = value.split('-')
  const startMatch = TIME.exec(start)
  const endMatch = TIME.exec(end)
  if (!startMatch || !endMatch)
    throw new UsageError(`--right '${spec}': window must be HH:MM-HH:MM (UTC)`)
  const seconds = (match: RegExpExecArray) => Number(match[1]) * 3_600 + Number(match[2]) * 60
  return { startSecond: seconds(startMatch), endSecond: seconds(endMatch) }
}
