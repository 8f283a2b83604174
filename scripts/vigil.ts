#!/usr/bin/env bun
/**
 * The `vigil` command line: one entry, subcommands defined beside what they
 * drive. Run in a checkout as `bun run vigil <command> …`.
 */
import { enfCommand } from '../actors/enf-fingerprint/cli/enf-command.ts'
import { surveilCommand } from '../actors/surveillance/index.ts'
import { contractsCommand } from '../contracts/cli/contracts-command.ts'
import { ledgerCommand } from '../ledger/cli/ledger-command.ts'
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
  enfCommand,
  surveilCommand,
  demoCommand,
]

export const vigil: Command = {
  name: 'vigil',
  summary: 'actor runtime for smart public safety security services',
  subcommands,
}

if (import.meta.main) {
  process.exit(await runCommand(vigil, Bun.argv.slice(2)))
}
