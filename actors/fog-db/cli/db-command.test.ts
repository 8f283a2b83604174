import { Database } from 'bun:sqlite'
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from '../../../runtime/index.ts'
import { dbCommand } from './db-command.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-db-command-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('vigil db migrate', () => {
  test('creates every fog table in a new SQLite file and is a no-op the second time', async () => {
    const file = join(dir, 'nested', 'fog.sqlite')
    const out: string[] = []
    const io = { out: (text: string) => out.push(text), err: (text: string) => out.push(text) }
    expect(await runCommand(dbCommand, ['migrate', '--file', file], io)).toBe(0)
    expect(await runCommand(dbCommand, ['migrate', '--file', file], io)).toBe(0)
    const db = new Database(file, { readonly: true })
    const tables = db
      .query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name",
      )
      .all()
      .map((row) => (row as { name: string }).name)
    db.close()
    expect(tables).toEqual([
      'alerts',
      'audit_runs',
      'cameras',
      'detections',
      'enf_fingerprints',
      'integrity_batches',
      'integrity_proofs',
      'integrity_receipts',
      'segments',
      'track_features',
      'tracks',
    ])
    expect(out[0]).toContain('fog database migrated (sqlite')
  })
})
