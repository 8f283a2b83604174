#!/usr/bin/env bun
/**
 * The `vigil` command line: one entry, subcommands defined beside what they
 * drive. Run in a checkout as `bun run vigil <command> …`.
 */
import { auditCommand, authCommand } from '../actors/auth/index.ts'
import { enfCommand } from '../actors/enf-fingerprint/index.ts'
import { dbCommand } from '../actors/fog-db/index.ts'
import { surveilCommand } from '../actors/surveillance/index.ts'
import {
  accessCommand,
  contractsCommand,
  identityCommand,
  ledgerCommand,
  privacyCommand,
} from '../ledger/index.ts'
import { actorsCommand, type Command, runCommand } from '../runtime/index.ts'
import { demoCommand } from './demo-command.ts'
import { deployDomainCommand, deployHostCommand } from './deploy/machine-commands.ts'
import { startCommand } from './start-command.ts'

// Each folder contributes its subcommands here (one import each).
const subcommands: Command[] = [
  startCommand,
  deployHostCommand,
  actorsCommand,
  deployDomainCommand,
  ledgerCommand,
  contractsCommand,
  identityCommand,
  accessCommand,
  privacyCommand,
  enfCommand,
  surveilCommand,
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
