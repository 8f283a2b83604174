/**
 * The chain options' `addresses` and `addressesFile` are each optional in the schema, but an actor
 * that mirrors contracts needs one of them: this refinement says so with the fix in its message.
 */
import type { z } from 'zod'

/** `schema`, refined to require `addresses` or `addressesFile`. */
export function requireContractAddresses<
  S extends z.ZodType<{ addresses?: unknown; addressesFile?: unknown }>,
>(schema: S): S {
  return schema.refine((args) => args.addresses !== undefined || args.addressesFile !== undefined, {
    message: 'give addressesFile (from vigil contracts deploy) or addresses',
    path: ['addressesFile'],
  })
}
