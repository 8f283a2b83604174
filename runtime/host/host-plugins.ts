/**
 * What a host composition injects into a host, and what the host offers it.
 *
 * The runtime knows nothing about credentials, rights or chains. A
 * composition (scripts/, or a test) passes `startHost({ plugins })`, a
 * function that receives the host's {@link HostServices} once the host has
 * its key, enrollment and actor system, and returns the hooks: the gateway
 * {@link Guard} and {@link AdmitCaller} for callers arriving from peers.
 */
import type { KeyObject } from 'node:crypto'
import type { Caller } from '../actor/caller.ts'
import type { Clock } from '../clock/clock.ts'
import type { Guard } from '../gateway/gateway-guard.ts'
import type { GatewayMount } from '../gateway/gateway-mount.ts'
import type { Log } from '../log/create-logger.ts'
import type { HostRole } from '../rpc/enrollment-list.ts'
import type { HostStatus } from './host-status.ts'

/** An enrolled host as the signed enrollment list gives it. */
export type EnrolledPeer = {
  /** Base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string
  readonly role: HostRole
}

/** What the host offers its plugins. */
export type HostServices = {
  readonly hostId: string
  /** The domain name, from the enrollment list. */
  readonly domain: string
  readonly clock: Clock
  readonly log: Log
  /** Request/reply to an actor wherever it runs (through the host's router), on behalf of `caller`. */
  ask<Reply = unknown>(
    actor: string,
    type: string,
    payload: unknown,
    options?: { timeoutMs?: number | undefined; caller?: Caller | undefined },
  ): Promise<Reply>
  /** Every enrolled host: hostId → public key and role. */
  readonly enrollment: ReadonlyMap<string, EnrolledPeer>
  /** The host's own Ed25519 private key (the one its RPC handshake proves). Never log it. */
  readonly signingKey: KeyObject
  /**
   * What `GET /v1/admin/status` reports about this host (members, placement, actor counters,
   * memory), for a plugin that shows it (the operator dashboard); undefined until the host serves.
   * Absent on stand-in services.
   */
  readonly status?: (() => HostStatus | undefined) | undefined
}

/**
 * Decides whether a (non-host) caller that arrived from peer `fromPeerId` is
 * accepted: returns the caller to hand to the actor (possibly with claims
 * re-derived from its credential), or throws a BaseError to refuse.
 */
export type AdmitCaller = (caller: Caller, fromPeerId: string) => Caller | Promise<Caller>

/** The hooks a composition gives a host. */
export type HostPlugins = {
  /** Authentication and authorization of gateway requests; open gateway without one. */
  guard?: Guard | undefined
  /** Admission of callers forwarded by peers; default {@link refuseUncredentialedCallers}. */
  admitCaller?: AdmitCaller | undefined
  /**
   * Extra HTTP routes the gateway serves (a viewer API, a dashboard page). Each
   * mount authenticates its own requests: the runtime checks nothing on them.
   */
  mounts?: readonly GatewayMount[] | undefined
}

/** Builds a host's plugins from its services (`startHost({ plugins })`). */
export type HostPluginFactory = (services: HostServices) => HostPlugins | Promise<HostPlugins>
