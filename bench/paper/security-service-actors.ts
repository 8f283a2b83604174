/**
 * The actors of the paper's Micro and Mono deployments, placed by path by the
 * hosts (`export` picks one). Micro: one stateless actor per security service
 * (`identityService`, …), replicated over the edge hosts. Mono: `monoService`,
 * all five handlers in one actor (one worker) on one host. Both run
 * {@link serviceHandlers} on a {@link buildServiceWorld} state.
 */
import { defineActor } from '../../runtime/index.ts'
import { serviceHandlers, serviceProtocol } from './security-service-handlers.ts'
import { buildServiceWorld } from './service-world.ts'

const init = () => ({ world: buildServiceWorld(), host: process.env.VIGIL_HOST_ID ?? 'unknown' })

export const identityService = defineActor({
  name: 'identity-service',
  version: 1,
  stateless: true,
  protocol: { 'identity.verify': serviceProtocol['identity.verify'] },
  init,
  receive: { 'identity.verify': serviceHandlers['identity.verify'] },
})

export const accessService = defineActor({
  name: 'access-service',
  version: 1,
  stateless: true,
  protocol: { 'access.check': serviceProtocol['access.check'] },
  init,
  receive: { 'access.check': serviceHandlers['access.check'] },
})

export const integrityService = defineActor({
  name: 'integrity-service',
  version: 1,
  stateless: true,
  protocol: { 'integrity.verify': serviceProtocol['integrity.verify'] },
  init,
  receive: { 'integrity.verify': serviceHandlers['integrity.verify'] },
})

export const enfService = defineActor({
  name: 'enf-service',
  version: 1,
  stateless: true,
  protocol: { 'enf.verify': serviceProtocol['enf.verify'] },
  init,
  receive: { 'enf.verify': serviceHandlers['enf.verify'] },
})

export const privacyService = defineActor({
  name: 'privacy-service',
  version: 1,
  stateless: true,
  protocol: { 'privacy.decide': serviceProtocol['privacy.decide'] },
  init,
  receive: { 'privacy.decide': serviceHandlers['privacy.decide'] },
})

export const monoService = defineActor({
  name: 'mono-service',
  version: 1,
  stateless: true,
  protocol: serviceProtocol,
  init,
  receive: serviceHandlers,
})
