import { afterAll } from 'bun:test'
import { SQL } from 'bun'
import {
  type FogStoreBackend,
  runFogStoreConformance,
  runRecordsJsonConformance,
  runSplitConformance,
  runWriteOnceConformance,
} from './fog-db.conformance.ts'
import { openFogStore } from './fog-store.ts'
import { startTestPostgres } from './testing/index.ts'

// A real PostgreSQL server (Debian's packages), started for this file on a free loopback port.
const server = startTestPostgres()
// pg_ctl stop waits for a checkpoint: slow on a loaded machine.
afterAll(() => server.stop(), 60_000)

let n = 0
let url = ''

/** A fresh database per test on the one server. */
async function freshDatabase(): Promise<string> {
  const name = `fog_${process.pid}_${++n}`
  const admin = new SQL(server.url)
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`)
  } finally {
    await admin.close()
  }
  const target = new URL(server.url)
  target.pathname = `/${name}`
  return target.toString()
}

const backend: FogStoreBackend = {
  name: 'PostgreSQL',
  open: async () => {
    url = await freshDatabase()
    return openFogStore({ url })
  },
  restart: async (store) => {
    await store.close()
    server.restart()
    return openFogStore({ url })
  },
}

runFogStoreConformance(backend)
runRecordsJsonConformance(backend)
runWriteOnceConformance(backend)
runSplitConformance(backend)
