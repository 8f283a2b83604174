/**
 * Operator commands that differ only in the contract function they call: the same flags, read
 * the same way, sent as the same arguments — e.g. `vigil identity master-add|master-remove
 * --zone --master` → `addMaster|removeMaster(zone, master)`. The family holds what they share;
 * each member names itself, its function and the line saying what it did.
 */
import type { Command, OptionSpec } from '../../../runtime/index.ts'
import type { VigilContracts } from '../vigil-contracts.ts'
import type { WriteContractResult } from '../write-contract.ts'
import { type OperatorValues, operatorCommand, txLine } from './operator-command.ts'

export type CommandFamilyOptions<Flags, Fn extends string> = {
  /** The flags' part of the usage line, e.g. `--zone <name> --master <address>`. */
  usage: string
  options: Record<string, OptionSpec>
  /** Reads and checks the flags, in the order their errors should be reported. */
  read(values: OperatorValues): Flags
  /** Sends the flags to `functionName`. */
  send(contracts: VigilContracts, functionName: Fn, flags: Flags): Promise<WriteContractResult>
}

/** A maker of leaf operator commands sharing flags and arguments. */
export function commandFamily<Flags, Fn extends string>(family: CommandFamilyOptions<Flags, Fn>) {
  return function familyCommand(
    name: string,
    summary: string,
    functionName: Fn,
    done: (flags: Flags) => string,
  ): Command {
    return operatorCommand({
      name,
      summary,
      usage: family.usage,
      options: family.options,
      async act(values, contracts) {
        const flags = family.read(values)
        return txLine(done(flags), await family.send(contracts, functionName, flags))
      },
    })
  }
}
