#!/usr/bin/env bun
/**
 * Starts one vigil ABCI ledger app process: `bun ledger/abci/main.ts
 * --address unix:///path.sock|tcp://127.0.0.1:26658 --db state.sqlite`.
 * One app per validator (each with its own database). With
 * `--exit-with-parent`, the process exits when its stdin closes, so an app
 * spawned by a localnet never outlives the process that started it.
 */
import { parseArgs } from 'node:util'
import { createAbciServer } from './abci-server.ts'
import { AppStore } from './app-store.ts'
import { LedgerApp } from './ledger-app.ts'

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    address: { type: 'string' },
    db: { type: 'string' },
    'exit-with-parent': { type: 'boolean', default: false },
  },
  strict: true,
})
if (!values.address || !values.db) {
  console.error(
    'usage: bun ledger/abci/main.ts --address unix:///path.sock|tcp://host:port --db file.sqlite [--exit-with-parent]',
  )
  process.exit(2)
}

const store = new AppStore(values.db)
const app = new LedgerApp(store)
const server = await createAbciServer({
  app,
  address: values.address,
  log: (event, data) => console.error(JSON.stringify({ event, ...data })),
})
console.log(
  JSON.stringify({
    event: 'abci.listening',
    address: server.address,
    height: app.committed.height,
  }),
)

let stopping = false
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    await server.close()
    store.close()
  }
  process.exit(code)
}
process.on('SIGTERM', () => void stop(0))
process.on('SIGINT', () => void stop(0))
if (values['exit-with-parent']) {
  process.stdin.on('end', () => void stop(0))
  process.stdin.on('close', () => void stop(0))
  process.stdin.resume()
}
