import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJobStore, type JobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import type { IpcError } from '../../preload/contract/errors'
import { problemTitle } from '../../renderer/src/components/transfers/problem-title'
import { describeIpcError } from '../../renderer/src/errors'
import { setLocale } from '../../renderer/src/i18n'
import { testJob as job } from '../support/job-fixtures'

// An error as the upload path throws it (classify-error.ts): its English sentence names the KMS key, its params
// name the key, the bucket and the job's own object.
const unknownKey: IpcError = {
  code: 'KMS_KEY_NOT_FOUND',
  message: 'KMS key "k-wrong" does not exist on this server. Pick a key from the list or check the id.',
  params: { kmsKey: 'k-wrong', bucket: 'b', key: 'k0', endpoint: 'https://127.0.0.1:8443' },
}

let dir: string
let path: string
let store: JobStore

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'queue-error-params-'))
  path = join(dir, 'queue.db')
  store = createJobStore(openQueueDatabase(path), { groupCommitMs: 0 })
})

afterEach(() => {
  store.close()
  setLocale('en')
  rmSync(dir, { recursive: true, force: true })
})

/** What a restart does: the queue DB closed and opened again. */
function reopen(): void {
  store.close()
  store = createJobStore(openQueueDatabase(path), { groupCommitMs: 0 })
}

/** A failed upload of a batch of three: the first failed with `error`, the others held with it. */
function failBatch(error: IpcError): number[] {
  const ids = store.insertMany([job(0), job(1), job(2)]).map((j) => j.id)
  store.claim(ids[0]!)
  store.transaction(() => {
    store.finish(ids[0]!, { state: 'failed', error })
    store.holdBatch(ids[0]!, error, true)
  })
  return ids
}

describe("a failure read back from the queue DB keeps its error's params", () => {
  it('a German problem group after a restart names the KMS key', () => {
    failBatch(unknownKey)
    reopen()
    const [group] = store.problems.groups().groups
    setLocale('de')
    expect(problemTitle(group!)).toBe(
      '3 Uploads fehlgeschlagen: Den KMS-Schlüssel „k-wrong“ gibt es in diesem Konto und dieser Region nicht.',
    )
    setLocale('zh-CN')
    expect(problemTitle(group!)).toContain('KMS 密钥“k-wrong”在此账号和区域中不存在。')
  })

  it("a group keeps only the params its cause names: not one job's object", () => {
    failBatch(unknownKey)
    reopen()
    const [group] = store.problems.groups().groups
    expect(group!.error).toEqual({ ...unknownKey, params: { kmsKey: 'k-wrong' } })
  })

  it("a job read back (queue:page rows, a watched folder's failures) has its params", () => {
    const [failed, held] = failBatch(unknownKey)
    reopen()
    expect(store.get(failed!)?.error).toEqual(unknownKey)
    expect(store.get(held!)?.error).toEqual(unknownKey)
    const page = store.pages.page({ states: ['failed'] })
    expect(page.jobs.map((j) => j.error)).toEqual([unknownKey])
    setLocale('de')
    expect(describeIpcError(page.jobs[0]!.error!).message).toContain('„k-wrong“')
  })

  it("a held account's reason keeps its params across a restart", () => {
    const reason: IpcError = {
      code: 'HOST_NOT_FOUND',
      message: 'The host name of https://obs.example does not resolve.',
      params: { endpoint: 'https://obs.example' },
    }
    store.insertMany([job(0)])
    store.pauseAccount('a', reason)
    reopen()
    expect(store.pausedAccounts()).toEqual([{ accountId: 'a', reason }])
    expect(store.problems.groups().groups[0]!.error).toEqual(reason)
  })

  it('a job that ends well drops the params of its earlier error', () => {
    const [id] = store.insertMany([job(0)]).map((j) => j.id)
    const claimed = store.claim(id!)!
    store.requeue(id!, { error: unknownKey, retryAt: 0, changedRetries: 0 })
    store.markDone(claimed, { sha256: 'x', size: 1, mtimeMs: 1 })
    reopen()
    expect(store.get(id!)?.error).toBeUndefined()
  })

  it('a queue DB from before (schema 4, no params columns) opens with its failures as they were', () => {
    const [failed] = failBatch({ code: 'KMS_KEY_NOT_FOUND', message: unknownKey.message })
    store.pauseAccount('a', { code: 'NETWORK', message: 'offline' })
    store.close()
    const old = new Database(path)
    old.exec(
      'ALTER TABLE jobs DROP COLUMN error_params; ALTER TABLE paused_accounts DROP COLUMN reason_params',
    )
    old.pragma('user_version = 4')
    old.close()
    store = createJobStore(openQueueDatabase(path), { groupCommitMs: 0 })
    expect(store.get(failed!)?.error).toEqual({ code: 'KMS_KEY_NOT_FOUND', message: unknownKey.message })
    expect(store.pausedAccounts()).toEqual([
      { accountId: 'a', reason: { code: 'NETWORK', message: 'offline' } },
    ])
    const [group] = store.problems.groups().groups
    setLocale('de')
    // Without params: the code's general sentence, as before the migration.
    expect(problemTitle(group!)).toBe('3 Uploads fehlgeschlagen: Der KMS-Schlüssel wurde nicht gefunden.')
    // New failures after the migration keep theirs.
    store.resumeAccount('a')
    const [again] = failBatch(unknownKey)
    expect(store.get(again!)?.error).toEqual(unknownKey)
  })
})
