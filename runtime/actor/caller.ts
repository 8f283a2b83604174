/**
 * On whose behalf a message is sent. The gateway sets it from authentication;
 * a host sets it for messages its own actors send. The runtime only carries
 * it (through mailboxes, workers and host RPC) and never interprets it:
 * deciding who may do what is the job of the hooks a host composition
 * injects (the gateway guard, `admitCaller`).
 */

/** A principal and what authentication said about it. Plain data (crosses workers and hosts). */
export type Caller = {
  /** Principal id: an Ethereum address (lower-case 0x…) for users/operators, `host:<hostId>` for hosts. */
  readonly id: string
  /** Proof of `id` another host can check (e.g. a session token); carried, never interpreted by runtime. */
  readonly credential?: string | undefined
  /** Plain-string claims set by authentication, e.g. { domain, nodeType, zone, host, actor }. */
  readonly claims?: Readonly<Record<string, string>> | undefined
}

/** Prefix of the principal ids hosts use for the messages their actors send. */
export const HOST_CALLER_PREFIX = 'host:'

/** The principal a host gives the messages its actor `actor` sends on its own behalf. */
export function hostCaller(hostId: string, actor: string): Caller {
  return { id: `${HOST_CALLER_PREFIX}${hostId}`, claims: { host: hostId, actor } }
}
