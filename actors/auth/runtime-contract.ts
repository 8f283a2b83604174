/**
 * TEMPORARY mirror of the security interfaces runtime/ is gaining on branch
 * runtime-security (runtime/actor/caller.ts, runtime/gateway/gateway-guard.ts,
 * runtime/host/host-plugins.ts), so this folder compiles before that lands.
 * Replaced by imports from runtime/index.ts at merge.
 */
import type { KeyObject } from 'node:crypto'
import type { Hono } from 'hono'
import type { Clock } from '../../runtime/index.ts'

export type Caller = {
  readonly id: string
  readonly credential?: string | undefined
  readonly claims?: Readonly<Record<string, string>> | undefined
}

export type Access = 'public' | { readonly resource: string; readonly action: string }

export type GuardTarget = { actor: string; message: string; access: Access }

export type Guard = {
  authenticate(
    request: Request,
    target: GuardTarget,
  ): Caller | undefined | Promise<Caller | undefined>
  authorize(caller: Caller, target: GuardTarget): void | Promise<void>
  readonly statusByCode: Readonly<Record<string, number>>
  readonly routes?: Hono | undefined
}

export type EnrolledPeer = { readonly publicKey: string; readonly role: string }

export type HostServices = {
  readonly hostId: string
  readonly domain: string
  readonly clock: Clock
  readonly log: (event: string, data?: Record<string, unknown>) => void
  ask<Reply = unknown>(
    actor: string,
    type: string,
    payload: unknown,
    options?: { timeoutMs?: number | undefined; caller?: Caller | undefined },
  ): Promise<Reply>
  readonly enrollment: ReadonlyMap<string, EnrolledPeer>
  readonly signingKey: KeyObject
}

export type AdmitCaller = (caller: Caller, fromPeerId: string) => Caller | Promise<Caller>

export type HostPlugins = {
  guard?: Guard | undefined
  admitCaller?: AdmitCaller | undefined
}
