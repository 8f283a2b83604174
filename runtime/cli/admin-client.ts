/**
 * How operator commands reach a running host: its gateway's admin routes,
 * authenticated with the bearer token from the admin token file. The target
 * comes from `--config <host config>` (its run file gives the bound gateway
 * address, its adminTokenFile the token) or from `--url` and `--token-file`.
 */
import { loadHostConfig } from '../host/host-config.ts'
import type { HostRunInfo } from '../host/run-host.ts'
import { UsageError } from './command.ts'
import { requireFlags, stringFlag } from './command-flags.ts'

export type AdminTarget = { url: string; token: string }

/** Options every admin command accepts. */
export const adminTargetOptions = {
  config: { type: 'string', description: 'host config file of the host to ask' },
  url: { type: 'string', description: 'gateway URL of the host to ask (instead of --config)' },
  'token-file': { type: 'string', description: 'admin token file (with --url)' },
  json: { type: 'boolean', description: 'print the raw JSON answer' },
} as const

/** Resolves the gateway URL and token from the command's flags. */
export async function resolveAdminTarget(values: Record<string, unknown>): Promise<AdminTarget> {
  const url = stringFlag(values, 'url')
  if (url !== undefined) {
    const { 'token-file': tokenFile } = requireFlags(
      values,
      ['token-file'],
      '--url needs --token-file',
    )
    return { url, token: (await Bun.file(tokenFile).text()).trim() }
  }
  const { config: file } = requireFlags(
    values,
    ['config'],
    'name the host with --config <file> or --url',
  )
  const config = await loadHostConfig({ file })
  if (!config.runFile) throw new UsageError(`${file} has no runFile; use --url instead`)
  if (!config.adminTokenFile) throw new UsageError(`${file} has no adminTokenFile`)
  const runFile = Bun.file(config.runFile)
  if (!(await runFile.exists())) {
    throw new UsageError(
      `host '${config.id}' is not running (no ${config.runFile}); start it with 'vigil host start'`,
    )
  }
  const run = (await runFile.json()) as HostRunInfo
  return { url: run.http, token: (await Bun.file(config.adminTokenFile).text()).trim() }
}

/** Calls an admin route; throws with the host's `{code, message}` on failure. */
export async function adminRequest(
  target: AdminTarget,
  path: string,
  body?: unknown,
): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(`${target.url}/v1/admin/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch (error) {
    throw new Error(`cannot reach ${target.url}: ${(error as Error).message}`)
  }
  const answer = (await response.json().catch(() => null)) as {
    code?: string
    message?: string
  } | null
  if (!response.ok) {
    throw new Error(`${answer?.code ?? response.status}: ${answer?.message ?? response.statusText}`)
  }
  return answer
}
