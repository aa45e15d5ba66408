// The whole threat list of the outside security probe (issue #13) in one place: each finding by its number,
// what protects against it, and the tests that prove it (each failed before its fix). This file checks that
// every listed test file exists and names its finding, so the list cannot silently go stale.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface Finding {
  n: number
  severity: 'High' | 'Medium' | 'Low'
  threat: string
  protection: string
  tests: string[]
}

export const FINDINGS: Finding[] = [
  {
    n: 1,
    severity: 'High',
    threat: 'a symbolic link in a watched or dropped folder uploads a file from outside it',
    protection:
      'one folder-walk rule (main/core/sync/folder-walk.ts) for scan, watch and drop: lstat, regular files only, links never followed and reported, special files never opened; the queue refuses a source that became a link',
    tests: ['test/unit/security-01-folder-walk.test.ts', 'test/integration/security-watch-links.test.ts'],
  },
  {
    n: 5,
    severity: 'Medium',
    threat: 'a FIFO named .obsignore freezes the process',
    protection:
      'rule files opened O_NONBLOCK|O_NOFOLLOW, read only when regular and at most 1 MiB, others reported',
    tests: ['test/unit/security-05-ignore-file.test.ts'],
  },
]

describe('the security threat list', () => {
  it.each(FINDINGS)('#$n ($severity) $threat: its tests exist and name it', ({ n, tests }) => {
    expect(tests.length).toBeGreaterThan(0)
    for (const file of tests) expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`#${n}\\b`))
  })
})
