import { describe, expect, it } from 'vitest'
import { DISK_FULL_MESSAGE } from '../../main/core/errors'
import type { JobStore } from '../../main/core/queue/job-store'
import { createQueueStatus } from '../../main/core/queue/queue-status'
import { type StatusInputs, summarizeStatus } from '../../main/core/queue/status-summary'
import { folderProblem } from '../../main/core/sync/folder-problem'
import type { IpcError } from '../../preload/contract/errors'
import type { JobState } from '../../preload/contract/queue-models'
import { causeLine } from '../../preload/contract/status-causes'

// "The status bar names the cause, not only a count" (#14, #17): every fault cause is in the status summary that
// the tray, the web UI status bar and `obs-sync status` show.

const COUNTS: Record<JobState, number> = {
  queued: 0,
  running: 0,
  paused: 0,
  done: 0,
  failed: 0,
  cancelled: 0,
}
const DISK_FULL: IpcError = { code: 'DISK_FULL', message: DISK_FULL_MESSAGE }
const KEYCHAIN: IpcError = {
  code: 'KEYCHAIN_UNAVAILABLE',
  message: 'The OS keychain cannot be reached (no Secret Service is running). Start a Secret Service.',
}
const BAD_CREDENTIALS: IpcError = {
  code: 'BAD_CREDENTIALS',
  message: 'The access key or secret of "lab" is wrong.',
}
const KMS: IpcError = { code: 'KMS_KEY_NOT_FOUND', message: 'KMS key "nokey-9" does not exist.' }
const OFFLINE: IpcError = { code: 'NETWORK', message: 'The connection to https://rgw stalled.' }
const MISSING: IpcError = {
  code: 'FOLDER_MISSING',
  message: 'The watched folder /home/me/Photos is missing.',
}

function summary(overrides: Partial<StatusInputs> = {}) {
  return summarizeStatus({
    counts: COUNTS,
    pausedByUser: false,
    heldAccounts: [],
    bytesPerSecond: 0,
    watchedFolders: [],
    ...overrides,
  })
}

describe('the status summary names each fault cause', () => {
  it('nothing wrong: no cause', () => {
    expect(summary().causes).toEqual([])
    expect(summary().state).toBe('idle')
  })

  it('uploads held with a failed batch whose failed one was cleared: state error with the cause, not idle', () => {
    const s = summary({ counts: { ...COUNTS, paused: 29 }, failures: [{ ...KMS, jobs: 29 }] })
    expect(s.state).toBe('error')
    expect(s.causes).toEqual([{ ...KMS, jobs: 29 }])
  })

  it('disk full (the queue cannot save): DISK_FULL, state error even while uploads wait', () => {
    const s = summary({ diskFull: DISK_FULL, counts: { ...COUNTS, queued: 5 } })
    expect(s.state).toBe('error')
    expect(s.causes).toEqual([DISK_FULL])
  })

  it('disk full for a watched folder’s sync state: named with the folder', () => {
    const problem = {
      code: 'DISK_FULL' as const,
      message: 'The disk is full: the sync state of /p cannot be saved.',
    }
    const s = summary({ watchedFolders: [{ id: 'p', localPath: '/p', paused: false, problem }] })
    expect(s.state).toBe('error')
    expect(s.causes).toEqual([{ ...problem, folder: '/p' }])
  })

  it('offline: the network error is the cause while uploads wait', () => {
    const s = summary({
      offlineSince: '2026-11-30T03:00:00Z',
      offlineError: OFFLINE,
      counts: { ...COUNTS, queued: 2 },
    })
    expect(s.state).toBe('offline')
    expect(s.causes).toEqual([OFFLINE])
    expect(s.offlineReason).toBe(OFFLINE.message)
  })

  it('keychain unavailable and bad credentials: each held account’s reason', () => {
    const s = summary({
      heldAccounts: [
        { accountId: 'a', reason: KEYCHAIN },
        { accountId: 'b', reason: BAD_CREDENTIALS },
      ],
      counts: { ...COUNTS, queued: 4 },
    })
    expect(s.state).toBe('error')
    expect(s.causes).toEqual([KEYCHAIN, BAD_CREDENTIALS])
  })

  it('folder missing: named with the folder; the state says attention once nothing else runs', () => {
    const folders = [{ id: 'p', localPath: '/home/me/Photos', paused: false, problem: MISSING }]
    const s = summary({ watchedFolders: folders })
    expect(s.state).toBe('error')
    expect(s.causes).toEqual([{ ...MISSING, folder: '/home/me/Photos' }])
  })

  it('a KMS key problem: the failures’ cause with how many uploads it concerns', () => {
    const s = summary({ failures: [{ ...KMS, jobs: 20 }], counts: { ...COUNTS, failed: 1, paused: 19 } })
    expect(s.state).toBe('error')
    expect(s.causes).toEqual([{ ...KMS, jobs: 20 }])
    expect(causeLine(s.causes[0]!)).toBe('KMS key problem (20 uploads): KMS key "nokey-9" does not exist.')
  })

  it('several at once: disk full first, then offline, accounts, folders, failures; each once', () => {
    const s = summary({
      diskFull: DISK_FULL,
      offlineSince: '2026-11-30T03:00:00Z',
      offlineError: OFFLINE,
      heldAccounts: [
        { accountId: 'a', reason: KEYCHAIN },
        { accountId: 'c', reason: KEYCHAIN },
      ],
      failures: [{ ...KMS, jobs: 2 }],
      watchedFolders: [{ id: 'p', localPath: '/p', paused: false, problem: MISSING }],
      counts: { ...COUNTS, queued: 3, failed: 2 },
    })
    expect(s.causes.map((c) => c.code)).toEqual([
      'DISK_FULL',
      'NETWORK',
      'KEYCHAIN_UNAVAILABLE',
      'FOLDER_MISSING',
      'KMS_KEY_NOT_FOUND',
    ])
  })

  it('a watched folder’s problem: missing, its state DB full, deletions held; not its failed uploads', () => {
    expect(folderProblem({ id: 'p', state: 'missing', pendingFiles: 0, error: MISSING })).toEqual(MISSING)
    expect(folderProblem({ id: 'p', state: 'error', pendingFiles: 0, error: DISK_FULL })).toEqual(DISK_FULL)
    const held = { code: 'DELETIONS_HELD' as const, message: '40 deletions held' }
    expect(folderProblem({ id: 'p', state: 'error', pendingFiles: 0, error: held })).toEqual(held)
    expect(folderProblem({ id: 'p', state: 'error', pendingFiles: 0, error: KMS })).toBeUndefined()
    expect(folderProblem({ id: 'p', state: 'idle', pendingFiles: 0 })).toBeUndefined()
  })
})

describe('the queue’s status keeps the causes as they happen', () => {
  function queueStatus(counts: Partial<Record<JobState, number>> = {}, earlier: unknown[] = []) {
    const current = { ...COUNTS, ...counts }
    const store = {
      counts: () => current,
      pausedByUser: () => false,
      pausedAccounts: () => [],
      nextRetryAt: () => undefined,
      problems: { groups: () => ({ groups: earlier, more: { groups: 0, jobs: 0 } }) },
    } as unknown as JobStore
    const status = createQueueStatus({
      store,
      meter: { overall: () => ({ bytesPerSecond: 0 }) },
      now: () => Date.parse('2026-11-30T03:00:00Z'),
    })
    return { status, current }
  }

  it('disk full is named while the queue cannot save, and gone once it can', () => {
    const { status } = queueStatus({ queued: 3 })
    status.diskFull(DISK_FULL)
    expect(status.current().causes).toEqual([DISK_FULL])
    expect(status.current().state).toBe('error')
    status.diskFull(undefined)
    expect(status.current().causes).toEqual([])
    status.stop()
  })

  it('failures are counted per cause, latest first, and forgotten once no failed or held job is left', () => {
    // Nothing failed when the queue started (its DB has no failure to name); then these failures happen.
    const { status, current } = queueStatus()
    expect(status.current().causes).toEqual([])
    current.failed = 3
    current.paused = 19
    status.failed(KMS, 20)
    status.failed({ code: 'ACCESS_DENIED', message: 'Access denied to bucket b.' })
    status.failed({ code: 'ACCESS_DENIED', message: 'Access denied to bucket b.' })
    expect(status.current().causes).toEqual([
      { code: 'ACCESS_DENIED', message: 'Access denied to bucket b.', jobs: 2 },
      { ...KMS, jobs: 20 },
    ])
    current.failed = 0
    current.paused = 0
    expect(status.current().causes).toEqual([])
  })

  it('failures of an earlier run (read from the queue DB once) are named too: `obs-sync status` runs no queue', () => {
    const group = (error: IpcError, failed: number, heldPaused: number) => ({ error, failed, heldPaused })
    const { status } = queueStatus({ failed: 3, paused: 19 }, [
      group(KMS, 1, 19),
      group({ code: 'ACCESS_DENIED', message: 'Access denied to bucket b.' }, 2, 0),
      // Retrying or held by its account: named by the offline and account causes, not here.
      group(OFFLINE, 0, 0),
    ])
    expect(status.current().causes).toEqual([
      { ...KMS, jobs: 20 },
      { code: 'ACCESS_DENIED', message: 'Access denied to bucket b.', jobs: 2 },
    ])
  })

  it('offline names the network error', () => {
    const { status } = queueStatus({ queued: 1 })
    status.wentOffline(OFFLINE)
    expect(status.current().causes).toEqual([OFFLINE])
    status.uploaded()
    expect(status.current().causes).toEqual([])
  })
})

describe('a cause in the reader’s language (status bar, tray), English for the CLI', () => {
  const kms = { ...KMS, params: { kmsKey: 'nokey-9' }, jobs: 20 }

  it('English: the title from the catalogue and main’s own sentence (what `obs-sync status` prints)', () => {
    expect(causeLine(kms)).toBe('KMS key problem (20 uploads): KMS key "nokey-9" does not exist.')
    expect(causeLine({ ...DISK_FULL, jobs: 1 }, 'en')).toBe(`Disk full (1 upload): ${DISK_FULL_MESSAGE}`)
  })

  it('a large count is written as the reader writes numbers', () => {
    const many = { ...kms, jobs: 3000 }
    expect(causeLine(many)).toBe('KMS key problem (3,000 uploads): KMS key "nokey-9" does not exist.')
    expect(causeLine(many, 'de')).toMatch(/^Problem mit KMS-Schlüssel \(3\.000 Uploads\)/)
  })

  it('German and Chinese: title, count and the sentence naming the key, from the catalogue', () => {
    expect(causeLine(kms, 'de')).toBe(
      'Problem mit KMS-Schlüssel (20 Uploads): Den KMS-Schlüssel „nokey-9“ gibt es in diesem Konto und dieser Region nicht.',
    )
    expect(causeLine(kms, 'zh-CN')).toBe(
      'KMS 密钥问题（20 个上传）：KMS 密钥“nokey-9”在此账号和区域中不存在。',
    )
  })

  it('without the parameters a named sentence needs: the code’s general sentence; an untitled code: the general title', () => {
    expect(causeLine(DISK_FULL, 'de')).toBe('Datenträger voll: Der Datenträger ist voll.')
    expect(causeLine(KMS, 'zh-CN')).toBe('KMS 密钥问题：未找到该 KMS 密钥。')
    expect(causeLine({ code: 'SOURCE_GONE', message: 'The file is gone.' }, 'de')).toMatch(
      /^Upload-Problem: /,
    )
  })
})
