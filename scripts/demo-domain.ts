/**
 * The shape of the one-machine demo domain (`npm start`, the end-to-end
 * tests and the hosts benchmark): which hosts it has — fog hosts, and one
 * edge host per camera, labelled `camera: cam-<n>` — and its echo service.
 * runtime/domain/start-domain.ts launches whatever hosts and actors it is
 * given; this file is where the demo's choices live.
 */
import { join } from 'node:path'
import { surveillanceActors } from '../actors/surveillance/index.ts'
import type { DomainActorSpec, DomainHostSpec } from '../runtime/index.ts'

/** The demo's hosts: `fog-1…` (capacity 16) then `edge-1…` (capacity 8, one camera each). */
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
      // ENF, an echo replica, camera 1's four surveillance actors and its privacy service.
      capacity: 9,
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

/**
 * The surveillance pipeline on camera 1: demo-media/demo-camera.mp4 (12 s, one
 * person walking to a table) looped at real time as the camera, with the floor
 * around the table restricted, so intrusion alerts keep appearing in the demo.
 */
export function demoSurveillance(): DomainActorSpec[] {
  const clip = join(import.meta.dir, 'demo-media', 'demo-camera.mp4')
  const polygon: [number, number][] = [
    [150, 150],
    [300, 150],
    [300, 216],
    [150, 216],
  ]
  return surveillanceActors({
    cameras: [{ id: 'cam-1', input: clip, zones: [{ name: 'table', restricted: true, polygon }] }],
    labelsOf: (id) => cameraLabels(Number(id.replace('cam-', ''))),
  })
}

/**
 * Camera 1's privacy service (docs/privacy.md) on its edge host: the same
 * demo clip decoded at 640×360, people found by the blob detector and
 * scrambled in place under keys from the edge host's key store
 * (`<domainDir>/keys/edge-1-privacy/`), served by the viewer API at
 * `/v1/cameras`; releases recorded through the edge's integrity actor.
 */
export function demoPrivacy(options: {
  domainDir: string
  cameraAccount: string
}): DomainActorSpec {
  return {
    name: 'privacy',
    module: join(import.meta.dir, '..', 'actors', 'privacy', 'privacy-actor.ts'),
    args: {
      keyDir: join(options.domainDir, 'keys', 'edge-1-privacy'),
      hostId: 'edge-1',
      cameras: [
        {
          id: 'cam-1',
          account: options.cameraAccount,
          input: join(import.meta.dir, 'demo-media', 'demo-camera.mp4'),
          detector: 'blobs',
        },
      ],
      integrityActor: 'integrity-cam-1',
    },
    placement: { role: 'edge', labels: cameraLabels(1), fallback: 'none' },
  }
}
