import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { holdQueue } from '../../main/core/queue/queue-owner'

const fixture = fileURLToPath(new URL('../support/fixtures/hold-queue.ts', import.meta.url))
let dir: string
let dbPath: string
const children: ChildProcess[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obs-sync-owner-'))
  dbPath = join(dir, 'queue.db')
})
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** Another process holding the queue, resolved once it says it holds it. */
function holder(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dbPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) =>
      data.toString().includes('held') ? resolve(child) : reject(new Error(data.toString())),
    )
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)))
  })
}

function tryInOtherProcess(): string {
  return spawnSync(process.execPath, ['--import', 'tsx', fixture, dbPath, 'probe'], {
    encoding: 'utf8',
    timeout: 20_000,
  }).stdout.trim()
}

describe('holding the upload queue (one process runs it)', () => {
  it('a second process is refused with QUEUE_IN_USE while the first holds it', async () => {
    await holder()
    expect(() => holdQueue(dbPath)).toThrow(expect.objectContaining({ code: 'QUEUE_IN_USE' }))
    expect(tryInOtherProcess()).toBe('QUEUE_IN_USE')
  }, 30_000)

  it('a holder killed with SIGKILL leaves no stale hold behind', async () => {
    const child = await holder()
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    const release = holdQueue(dbPath)
    expect(tryInOtherProcess()).toBe('QUEUE_IN_USE')
    release()
    expect(tryInOtherProcess()).toBe('held')
  }, 30_000)

  it('within one process the hold is released and taken again', () => {
    const release = holdQueue(dbPath)
    expect(() => holdQueue(dbPath)).toThrow(expect.objectContaining({ code: 'QUEUE_IN_USE' }))
    release()
    holdQueue(dbPath)()
  })
})
