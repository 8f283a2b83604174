import { describe, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readEnrollmentList } from '../rpc/enrollment-list.ts'
import { rejectionOf } from '../testing/index.ts'
import { runCommand } from './command.ts'
import { domainCommand } from './domain-command.ts'
import { hostCommand } from './host-command.ts'

async function run(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const root = { name: 'vigil', summary: 'test', subcommands: [hostCommand, domainCommand] }
  const code = await runCommand(root, argv, { out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('vigil host keygen and vigil domain enroll', () => {
  test('create keys and a signed enrollment list that hosts accept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-enroll-'))
    try {
      const admin = await run(['host', 'keygen', '--out', join(dir, 'admin.pem')])
      const edge = await run(['host', 'keygen', '--out', join(dir, 'edge-1.pem')])
      expect(admin.code).toBe(0)
      const adminKey = /public key: (\S+)/.exec(admin.out)?.[1] as string
      const edgeKey = /public key: (\S+)/.exec(edge.out)?.[1] as string
      const enrolled = await run([
        'domain',
        'enroll',
        '--admin-key',
        join(dir, 'admin.pem'),
        '--domain',
        'north',
        '--host',
        `edge-1:edge:${edgeKey}`,
        '--out',
        join(dir, 'enrollment.json'),
      ])
      expect(enrolled.code).toBe(0)
      const enrollment = await readEnrollmentList(join(dir, 'enrollment.json'), adminKey)
      expect(enrollment.find('edge-1')).toEqual({
        hostId: 'edge-1',
        role: 'edge',
        publicKey: edgeKey,
      })
      // A list is only trusted with the administrator key it was signed with.
      expect(
        await rejectionOf(readEnrollmentList(join(dir, 'enrollment.json'), edgeKey)),
      ).toMatchObject({
        code: 'ENROLLMENT_INVALID',
      })
      // Keys are never overwritten.
      const again = await run(['host', 'keygen', '--out', join(dir, 'admin.pem')])
      expect(again.code).toBe(2)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('names a malformed --host entry', async () => {
    const result = await run([
      'domain',
      'enroll',
      '--admin-key',
      'x.pem',
      '--out',
      'y.json',
      '--host',
      'edge-1:phone:abc',
    ])
    expect(result.code).toBe(2)
    expect(result.err).toContain('edge-1:phone:abc')
  })
})
