/**
 * `vigil surveil run --domain <gateway url>`: deploys the pipeline's actors
 * onto a running domain through the operator's admin route
 * (`POST /v1/admin/deploy`, bearer admin token): modules by deployable key,
 * the fog decision first, then each camera's chain from the features up, so
 * every actor's downstream exists when it starts. The domain's placement then
 * starts the camera, detector, tracker and features on the camera's edge
 * host and the decision on fog; alerts stream from any host's gateway.
 */
import { type AdminTarget, adminRequest, type DomainActorSpec } from '../../../runtime/index.ts'

export type DeployResult = {
  actors: string[]
  hosts: { hostId: string; added: string[]; error?: { code: string; message: string } }[]
}

/** Sends the specs (`moduleRefs: 'keys'`) to the domain; returns what each host did. */
export async function deployPipeline(
  target: AdminTarget,
  specs: readonly DomainActorSpec[],
): Promise<DeployResult> {
  return (await adminRequest(target, 'deploy', {
    actors: [...specs].reverse(),
  })) as DeployResult
}
