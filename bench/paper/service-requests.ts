/**
 * What the load generators send to the paper's services: for each service its
 * message type, the Micro actor that serves it, and a valid request body (the
 * signatures made once, from the {@link ServiceWorld}'s fixed keys). Every body
 * is a real positive case: a 2xx reply with `ok: false` would be a wrong answer.
 */
import {
  buildServiceWorld,
  clientAddress,
  type ServiceWorld,
  signedEnf,
  signedRequest,
} from './service-world.ts'

export const SERVICES = ['identity', 'access', 'integrity', 'enf', 'privacy'] as const
export type ServiceName = (typeof SERVICES)[number]

export const MESSAGE: Record<ServiceName, string> = {
  identity: 'identity.verify',
  access: 'access.check',
  integrity: 'integrity.verify',
  enf: 'enf.verify',
  privacy: 'privacy.decide',
}

/** The Micro actor serving `service`; Mono serves every message as `mono-service`. */
export const microActor = (service: ServiceName) => `${service}-service`

let world: ServiceWorld | undefined

/** The fields of a request to `service` (without its `id`), client `i % 16`. */
export function requestFields(service: ServiceName, i = 0): Record<string, unknown> {
  world ??= buildServiceWorld()
  switch (service) {
    case 'identity':
      return signedRequest(i % 16)
    case 'access':
      return { subject: clientAddress(i % 16), resource: '/video/live', action: 'read' }
    case 'integrity':
      return { record: world.record, hash: world.recordHashHex }
    case 'enf':
      return signedEnf()
    case 'privacy':
      return { viewer: clientAddress(4), owner: clientAddress(0) }
  }
}

/** The route and JSON body of a request to `service` on `actor` at `gateway`. */
export function serviceRequest(gateway: string, actor: string, service: ServiceName, id = 0) {
  return {
    url: `${gateway}/v1/actors/${actor}/${MESSAGE[service]}`,
    body: JSON.stringify({ id, ...requestFields(service, id) }),
  }
}
