import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJobStore, type JobStore } from '../../main/core/queue/job-store'
import { openQueueDatabase } from '../../main/core/queue/queue-db'
import type { UploadQueue } from '../../main/core/queue/upload-queue'
import type { QueueSettingsEvent } from '../../preload/contract/queue-settings'
import { queueOn } from '../support/injected-queue'

let dir: string
let store: JobStore
let queue: UploadQueue
const announced: QueueSettingsEvent[] = []

function startQueue(concurrency?: number): void {
  store = createJobStore(openQueueDatabase(join(dir, 'queue.db')))
  queue = queueOn(store, { events: { settings: (settings) => announced.push(settings) }, concurrency })
  queue.start()
}

/** `obs-sync settings` in another process: its own connection to the data folder's queue DB. */
function saveElsewhere(save: (other: JobStore) => void): void {
  const other = createJobStore(openQueueDatabase(join(dir, 'queue.db')))
  save(other)
  other.close()
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obs-sync-live-settings-'))
  announced.length = 0
})
afterEach(async () => {
  await queue.stop()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('queue settings reach the running queue (settings-watch.ts)', () => {
  it('a request limit, upload limit and kept days saved by another process are applied within seconds and announced', async () => {
    startQueue()
    expect(queue.requestLimit()).toMatchObject({ requests: 64, saved: 64 })
    saveElsewhere((other) => {
      other.settings.setRequestLimit(3)
      other.settings.setBandwidthLimit(2048)
      other.history.setKeepDoneDays(30)
    })
    await vi.waitFor(() => expect(announced).toHaveLength(1), { timeout: 5000, interval: 50 })
    expect(announced[0]).toEqual({
      requestLimit: { requests: 3, saved: 3, fromCommandLine: false },
      bandwidthLimit: { kibPerSecond: 2048, saved: 2048, fromCommandLine: false },
      keepDoneDays: 30,
    })
    expect(queue.requestLimit().requests).toBe(3)
    expect(queue.bandwidthLimit().kibPerSecond).toBe(2048)
    expect(queue.history().keepDoneDays).toBe(30)
    // Removed elsewhere: no limit any more.
    saveElsewhere((other) => other.settings.setBandwidthLimit(null))
    await vi.waitFor(() => expect(announced).toHaveLength(2), { timeout: 5000, interval: 50 })
    expect(announced[1]?.bandwidthLimit).toEqual({ kibPerSecond: null, saved: null, fromCommandLine: false })
  })

  it("a saved upload limit replaces this run's --bandwidth", async () => {
    store = createJobStore(openQueueDatabase(join(dir, 'queue.db')))
    queue = queueOn(store, { events: { settings: (s) => announced.push(s) }, bandwidth: 100 * 1024 })
    queue.start()
    expect(queue.bandwidthLimit()).toEqual({ kibPerSecond: 100, saved: null, fromCommandLine: true })
    saveElsewhere((other) => other.settings.setBandwidthLimit(700))
    await vi.waitFor(
      () => expect(queue.bandwidthLimit()).toEqual({ kibPerSecond: 700, saved: 700, fromCommandLine: false }),
      { timeout: 5000, interval: 50 },
    )
  })

  it("the user's latest word wins over this run's --concurrency; a change made here is announced once", async () => {
    startQueue(8)
    saveElsewhere((other) => other.settings.setRequestLimit(5))
    await vi.waitFor(
      () => expect(queue.requestLimit()).toEqual({ requests: 5, saved: 5, fromCommandLine: false }),
      {
        timeout: 5000,
        interval: 50,
      },
    )
    queue.setRequestLimit(12)
    queue.setKeepDoneDays(2)
    // Its own writes are not taken for another process's (SQLite's data_version counts others' commits only).
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(announced.map((a) => [a.requestLimit.requests, a.keepDoneDays])).toEqual([
      [5, 7],
      [12, 7],
      [12, 2],
    ])
  })
})
