import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openOrSetAside } from '../../main/core/sqlite-recovery'

const WHAT = { name: 'test DB', consequence: 'What it means.', setAsideLine: 'state-db-set-aside' as const }
const openPlain = (path: string) => new Database(path)
const dir = () => mkdtempSync(join(tmpdir(), 'obs-sync-recovery-'))
const at = () => new Date('2026-11-30T01:02:03.456Z')

describe('openOrSetAside', () => {
  it('a garbage file is moved aside as <name>.corrupt-<time>, the user told, a fresh DB opened', () => {
    const path = join(dir(), 'x.db')
    writeFileSync(path, Buffer.alloc(9000, 7))
    const told: string[] = []
    const db = openOrSetAside(path, WHAT, openPlain, { onSetAside: (m) => told.push(m), now: at })
    db.exec('CREATE TABLE t (a)')
    db.close()
    const aside = `${path}.corrupt-2026-11-30T01-02-03-456Z`
    expect(readFileSync(aside).equals(Buffer.alloc(9000, 7))).toBe(true)
    expect(told).toEqual([
      `The test DB (${path}) was damaged and could not be read: it was moved aside to ${aside} and a new one was started. What it means.`,
    ])
  })

  it('a truncated database (its schema readable, its rows not) is set aside too', () => {
    const path = join(dir(), 'y.db')
    const db = new Database(path)
    db.exec('CREATE TABLE t (a TEXT)')
    const insert = db.prepare('INSERT INTO t VALUES (?)')
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(100)}`)
    })()
    db.close()
    const bytes = readFileSync(path)
    writeFileSync(path, bytes.subarray(0, bytes.length / 2))
    const told: string[] = []
    openOrSetAside(path, WHAT, openPlain, { onSetAside: (m) => told.push(m) }).close()
    expect(told).toHaveLength(1)
    expect(readdirSync(join(path, '..')).filter((f) => f.includes('.corrupt-'))).toHaveLength(1)
  })

  it('a healthy file is opened as it is', () => {
    const path = join(dir(), 'z.db')
    const first = new Database(path)
    first.exec("CREATE TABLE t (a); INSERT INTO t VALUES ('kept')")
    first.close()
    const told: string[] = []
    const db = openOrSetAside(path, WHAT, openPlain, { onSetAside: (m) => told.push(m) })
    expect(db.prepare('SELECT a FROM t').pluck().get()).toBe('kept')
    db.close()
    expect(told).toEqual([])
  })

  it('a failure that is not damage (busy, locked, no permission, disk full) is thrown and the file left alone', () => {
    const path = join(dir(), 'w.db')
    writeFileSync(path, 'whatever')
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
    expect(() =>
      openOrSetAside(path, WHAT, () => {
        throw busy
      }),
    ).toThrow(busy)
    expect(readFileSync(path, 'utf8')).toBe('whatever')
    expect(existsSync(`${path}.corrupt-`)).toBe(false)
    expect(readdirSync(join(path, '..'))).toEqual(['w.db'])
  })
})
