#!/usr/bin/env bun
/**
 * The `vigil` command line: one entry, subcommands defined beside what they
 * drive. Run in a checkout as `bun run vigil <command> …`.
 */
import { auditCommand } from '../actors/auth/cli/audit-command.ts'
import { authCommand } from '../actors/auth/cli/auth-command.ts'
import { enfCommand } from '../actors/enf-fingerprint/cli/enf-command.ts'
import { dbCommand } from '../actors/fog-db/index.ts'
import { ledgerCommand } from '../ledger/cli/ledger-command.ts'
import { accessCommand } from '../ledger/ethereum/cli/access-command.ts'
import { contractsCommand } from '../ledger/ethereum/cli/contracts-command.ts'
import { identityCommand } from '../ledger/ethereum/cli/identity-command.ts'
import { privacyCommand } from '../ledger/ethereum/cli/privacy-command.ts'
import { actorsCommand } from '../runtime/cli/actors-command.ts'
import { type Command, runCommand } from '../runtime/cli/command.ts'
import { domainCommand } from '../runtime/cli/domain-command.ts'
import { hostCommand } from '../runtime/cli/host-command.ts'
import { demoCommand } from './demo-command.ts'
import { startCommand } from './start-command.ts'

// Each folder contributes its subcommands here (one import each).
const subcommands: Command[] = [
  startCommand,
  hostCommand,
  actorsCommand,
  domainCommand,
  ledgerCommand,
  contractsCommand,
  identityCommand,
  accessCommand,
  privacyCommand,
  enfCommand,
  dbCommand,
  demoCommand,
  authCommand,
  auditCommand,
]

export const vigil: Command = {
  name: 'vigil',
  summary: 'actor runtime for smart public safety security services',
  subcommands,
}

if (import.meta.main) {
  process.exit(await runCommand(vigil, Bun.argv.slice(2)))
}
