/**
 * The set-up every contract integration test (ledger/ethereum/contracts/) shares: one anvil with
 * the contracts deployed ({@link createTestChain}), the admin's contract handles, fresh funded
 * accounts by name, and a gas table printed and written when the file's tests end. It registers
 * its own `beforeAll`/`afterAll` (a file's further `beforeAll` runs after it, and bun runs a
 * file's `afterAll`s in order too, hence `beforeStop`); read its fields inside hooks and tests.
 */
import { afterAll, beforeAll } from 'bun:test'
import { createVigilContracts, type VigilContracts } from '../vigil-contracts.ts'
import { createTestChain, type TestAccount, type TestChain } from './create-test-chain.ts'
import { createGasTable, type GasTable } from './gas-table.ts'

export type ContractTestChain<Name extends string> = {
  readonly chain: TestChain
  /** The contracts as the deploying account (the domain admin) calls them. */
  readonly admin: VigilContracts
  /** Gas per operation; written after the tests when `gasSuite` is given. */
  readonly gas: GasTable
  /** The contracts as `account` calls them. */
  as(account: TestAccount): VigilContracts
} & Readonly<Record<Name, TestAccount>>

type Reserved = 'chain' | 'admin' | 'gas' | 'as'

export type UseContractTestChainOptions<Name extends string> = {
  /** Funded in this order, each under its name (`world.issuer`). */
  accounts?: readonly Exclude<Name, Reserved>[] | undefined
  /** Writes the gas table as bench/results/eth-gas-<gasSuite>.json after the tests; omit: no table. */
  gasSuite?: string | undefined
  /** Runs before anvil stops (e.g. shut down the actor system that follows the chain). */
  beforeStop?: (() => Promise<unknown>) | undefined
}

/** Starts the chain before the file's tests and stops it after them. */
export function useContractTestChain<const Name extends string = never>(
  options: UseContractTestChainOptions<Name> = {},
): ContractTestChain<Name> {
  const accounts = options.accounts ?? []
  const gas = createGasTable()
  let up:
    | { chain: TestChain; admin: VigilContracts; accounts: Map<string, TestAccount> }
    | undefined
  const ready = () => {
    if (up === undefined) throw new Error('useContractTestChain: read its fields in tests or hooks')
    return up
  }
  beforeAll(async () => {
    const chain = await createTestChain()
    const admin = createVigilContracts(chain.admin.clients, chain.addresses)
    const funded = new Map<string, TestAccount>()
    for (const name of accounts) funded.set(name, await chain.newAccount())
    up = { chain, admin, accounts: funded }
  })
  afterAll(async () => {
    if (options.gasSuite !== undefined) await gas.write(options.gasSuite)
    await options.beforeStop?.()
    await up?.chain[Symbol.asyncDispose]()
  })
  const world = {
    get chain() {
      return ready().chain
    },
    get admin() {
      return ready().admin
    },
    gas,
    as: (account: TestAccount) => createVigilContracts(account.clients, ready().chain.addresses),
  }
  for (const name of accounts) {
    Object.defineProperty(world, name, { get: () => ready().accounts.get(name), enumerable: true })
  }
  return world as ContractTestChain<Name>
}
