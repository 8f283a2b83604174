/**
 * Serves a gateway app with Bun.serve. Port 0 picks a free port; the bound
 * one is on the result.
 */
import type { Hono } from 'hono'

export type ServeGatewayOptions = {
  hostname: string
  port: number
  /**
   * Bun.serve refuses larger bodies before the app sees them, with a bare 413.
   * Default 16 MiB: well above the gateway's own limit (1 MiB by default),
   * which answers 413 PAYLOAD_TOO_LARGE as JSON from the declared length or
   * after reading at most its limit, so clients get the typed error.
   */
  maxRequestBodySize?: number | undefined
  /** PEM certificate chain and private key: serve HTTPS (Bun.serve TLS). Absent: plain HTTP. */
  tls?: { readonly cert: string; readonly key: string } | undefined
}

export type ServedGateway = {
  readonly url: string
  readonly port: number
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** Starts serving `app`; stop it with `stop()` or `await using`. */
export function serveGateway(
  app: Pick<Hono, 'fetch'>,
  options: ServeGatewayOptions,
): ServedGateway {
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    fetch: app.fetch,
    maxRequestBodySize: options.maxRequestBodySize ?? 16 * 1024 * 1024,
    // Requests wait at most for their own timeout; the default idle timeout is shorter.
    idleTimeout: 60,
    ...(options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {}),
  })
  const url = `${options.tls ? 'https' : 'http'}://${options.hostname}:${server.port}`
  const stop = () => server.stop(true)
  return { url, port: server.port as number, stop, [Symbol.asyncDispose]: stop }
}
