/**
 * Who a host is: its Ed25519 key and the domain's signed enrollment list,
 * loaded at start and checked against each other. A host whose id, role or
 * key does not match its enrollment entry refuses to start.
 */
import { ConfigError } from '../config/config-error.ts'
import { type Enrollment, readEnrollmentList } from '../rpc/enrollment-list.ts'
import { type HostKey, readHostKey } from '../rpc/host-key.ts'
import type { HostConfig } from './host-config.ts'

export type HostIdentity = { readonly key: HostKey; readonly enrollment: Enrollment }

/** Reads the key and enrollment list; throws ConfigError when they do not match the config. */
export async function loadHostIdentity(config: HostConfig): Promise<HostIdentity> {
  const key = await readHostKey(config.keyFile)
  const enrollment = await readEnrollmentList(config.enrollmentFile, config.adminPublicKey)
  const me = enrollment.find(config.id)
  if (!me || me.publicKey !== key.publicKeyBase64 || me.role !== config.role) {
    throw new ConfigError(
      [
        {
          path: me ? (me.role !== config.role ? 'role' : 'keyFile') : 'id',
          message: me
            ? `does not match the enrollment list (enrolled as role '${me.role}' with another key?)`
            : `host '${config.id}' is not in the enrollment list ${config.enrollmentFile}`,
        },
      ],
      'host config vs enrollment',
    )
  }
  return { key, enrollment }
}
