/**
 * `machine.json`, the first file of every machine folder `vigil domain init`
 * writes: what `vigil host start --config <folder>` runs there — the host
 * (always) and, on a validator, its CometBFT node and ABCI app.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { ConfigError, parseConfig } from '../../runtime/index.ts'

export const MACHINE_MANIFEST = 'machine.json'

export const machineManifestSchema = z.object({
  hostId: z.string().min(1),
  domain: z.string().min(1),
  /** Host config file, relative to the folder. */
  hostConfig: z.string().default('host.json'),
  validator: z
    .object({
      /** CometBFT home, relative to the folder. */
      home: z.string().default('cometbft'),
      /** The ABCI app's TCP port on the machine's loopback. */
      abciPort: z.number().int().min(1).max(65_535),
      /** The node's RPC URL (readiness checks). */
      rpcUrl: z.url(),
    })
    .optional(),
})

export type MachineManifest = z.output<typeof machineManifestSchema>

/** Reads `<folder>/machine.json`; CONFIG_INVALID when it is missing or malformed. */
export async function readMachineManifest(folder: string): Promise<MachineManifest> {
  const file = Bun.file(join(folder, MACHINE_MANIFEST))
  if (!(await file.exists())) {
    throw new ConfigError(
      [
        {
          path: '--config',
          message: `${folder} holds no ${MACHINE_MANIFEST}: pass a machine folder from 'vigil domain init' or a host config file`,
        },
      ],
      folder,
    )
  }
  return parseConfig(machineManifestSchema, await file.json(), join(folder, MACHINE_MANIFEST))
}
