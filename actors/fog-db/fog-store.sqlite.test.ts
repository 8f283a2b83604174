import { afterAll } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type FogStoreBackend,
  runFogStoreConformance,
  runRecordsJsonConformance,
  runSplitConformance,
  runWriteOnceConformance,
} from './fog-db.conformance.ts'
import { openFogStore } from './fog-store.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-fog-sqlite-'))
let n = 0
let file = ''
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const backend: FogStoreBackend = {
  name: 'SQLite',
  open: () => {
    file = join(dir, `fog-${++n}.sqlite`)
    return openFogStore({ file })
  },
  restart: async (store) => {
    await store.close()
    return openFogStore({ file })
  },
}

runFogStoreConformance(backend)
runRecordsJsonConformance(backend)
runWriteOnceConformance(backend)
runSplitConformance(backend)
