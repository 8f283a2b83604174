/**
 * The shape of the one-machine demo domain (`npm start`, the end-to-end
 * tests and the hosts benchmark): which hosts it has — fog hosts, and one
 * edge host per camera, labelled `camera: cam-<n>` — and its echo service.
 * runtime/domain/start-domain.ts launches whatever hosts and actors it is
 * given; this file is where the demo's choices live.
 */
import { join } from 'node:path'
import type { DomainActorSpec, DomainHostSpec } from '../runtime/domain/start-domain.ts'

/** The demo's hosts: `fog-1…` (capacity 16) then `edge-1…` (capacity 4, one camera each). */
export function demoHosts(options: { edges: number; fogs?: number | undefined }): DomainHostSpec[] {
  const fogs = options.fogs ?? 1
  return [
    ...Array.from({ length: fogs }, (_, i) => ({
      id: `fog-${i + 1}`,
      role: 'fog' as const,
      capacity: 16,
    })),
    ...Array.from({ length: options.edges }, (_, i) => ({
      id: `edge-${i + 1}`,
      role: 'edge' as const,
      labels: cameraLabels(i + 1),
      capacity: 4,
    })),
  ]
}

/** The placement labels of camera `n`'s edge host. */
export function cameraLabels(n: number): Record<string, string> {
  return { camera: `cam-${n}` }
}

/** The echo service: a replica on up to three hosts. */
export function echoService(): DomainActorSpec {
  return {
    name: 'echo',
    module: join(import.meta.dir, 'echo-actor.ts'),
    placement: { replicas: 3 },
  }
}
