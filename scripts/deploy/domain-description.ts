/**
 * The one file an operator writes to describe a domain spread over machines
 * (`vigil domain init --hosts <file>`, YAML or JSON): the domain's name, its
 * hosts with their addresses and roles, which hosts are CometBFT validators,
 * the Ethereum endpoint, and the actors every host deploys. Ports default to
 * the same numbers on every machine (each machine has its own address).
 */
import { extname } from 'node:path'
import { z } from 'zod'
import { anchorIntervalMsSchema } from '../../ledger/index.ts'
import { ConfigError, hostConfigSchema, parseConfig } from '../../runtime/index.ts'

const idPattern = /^[a-z0-9][a-z0-9-]*$/

const portSchema = (fallback: number, what: string) =>
  z.number().int().min(1).max(65_535).default(fallback).describe(`${what}; default ${fallback}`)

export const machinePortsSchema = z
  .object({
    rpc: portSchema(7400, 'host-to-host RPC port'),
    http: portSchema(8080, 'HTTP gateway port'),
    p2p: portSchema(26_656, 'CometBFT peer-to-peer port (validators)'),
    cometRpc: portSchema(26_657, 'CometBFT RPC port (validators)'),
    abci: portSchema(26_658, "port of the validator's ABCI app, on the machine's loopback"),
  })
  .prefault({})

export const describedHostSchema = z.object({
  id: z.string().regex(idPattern, 'lowercase letters, digits and dashes').describe('host id'),
  role: hostConfigSchema.shape.role,
  address: z
    .string()
    .min(1)
    .describe("the machine's IP address or DNS name, reachable from the other machines"),
  validator: z.boolean().default(false).describe('runs a CometBFT validator; default false'),
  power: z
    .number()
    .int()
    .positive()
    .default(1)
    .describe(
      "the validator's voting power; blocks commit with more than 2/3 of the total, so 3 equal validators halt when one is down (give one of them 2, or run 4); default 1",
    ),
  labels: z.record(z.string(), z.string()).default({}).describe('placement labels'),
  capacity: z.number().positive().optional().describe('capacity units; default the host default'),
  ports: machinePortsSchema,
})

export type DescribedHost = z.output<typeof describedHostSchema>

export const domainDescriptionSchema = z
  .object({
    domain: z.string().regex(idPattern, 'lowercase letters, digits and dashes'),
    chainId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,49}$/)
      .optional()
      .describe('CometBFT chain id; default vigil-<domain>'),
    hosts: z.array(describedHostSchema).min(1),
    ethereum: z
      .object({
        rpcUrl: z.url().describe('JSON-RPC endpoint of the Ethereum chain'),
        chainId: z.number().int().positive(),
        contracts: z
          .record(z.string(), z.string().regex(/^0x[0-9a-fA-F]{40}$/))
          .default({})
          .describe('deployed contract addresses by name (IdentityRegistry, Anchor, …)'),
        anchoring: z
          .object({
            addressesFile: z
              .string()
              .min(1)
              .describe(
                'addresses.json of the deployed contract set (as `vigil contracts` writes it); copied to every machine',
              ),
            keyFile: z
              .string()
              .min(1)
              .describe(
                "key file of the account that anchors (an anchorer of the domain's chain id, not a contract admin); copied to the fog machines only",
              ),
            intervalMs: anchorIntervalMsSchema,
          })
          .optional()
          .describe(
            "run the Ethereum ledger actor on a fog host, anchoring the domain's CometBFT batch roots; integrity.verify then checks the anchors; absent: nothing is anchored",
          ),
      })
      .optional()
      .describe('the inter-domain ledger; absent: no Ethereum'),
    actors: hostConfigSchema.shape.actors.describe(
      'extra actors every host deploys, beside the echo service and the ledger actor',
    ),
    tls: z
      .boolean()
      .default(false)
      .describe(
        'make a domain CA (admin/ca/) and an HTTPS certificate per host gateway; default false',
      ),
    mailboxCapacity: z
      .number()
      .int()
      .positive()
      .default(1024)
      .describe('messages each actor queues before MAILBOX_FULL, on every host; default 1024'),
    heartbeatIntervalMs: z.number().int().positive().default(250),
    suspicionTimeoutMs: z.number().int().positive().default(1500),
  })
  .superRefine((domain, context) => {
    const seen = new Set<string>()
    domain.hosts.forEach((host, index) => {
      if (seen.has(host.id)) {
        context.addIssue({ code: 'custom', path: ['hosts', index, 'id'], message: 'duplicate id' })
      }
      seen.add(host.id)
    })
    if (!domain.hosts.some((host) => host.validator)) {
      context.addIssue({
        code: 'custom',
        path: ['hosts'],
        message: 'mark at least one host validator: true (3 or more tolerate one down)',
      })
    }
  })

export type DomainDescription = z.output<typeof domainDescriptionSchema>

/** Reads and validates a domain description (`.yaml`, `.yml` or `.json`). */
export async function loadDomainDescription(file: string): Promise<DomainDescription> {
  const source = Bun.file(file)
  if (!(await source.exists())) {
    throw new ConfigError([{ path: '(file)', message: `${file} not found` }], file)
  }
  const text = await source.text()
  let raw: unknown
  try {
    raw = /\.ya?ml$/i.test(extname(file)) ? Bun.YAML.parse(text) : JSON.parse(text)
  } catch (error) {
    throw new ConfigError(
      [{ path: '(file)', message: `not valid YAML/JSON: ${(error as Error).message}` }],
      file,
    )
  }
  return parseConfig(domainDescriptionSchema, raw, file)
}
