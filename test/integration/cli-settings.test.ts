import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import type { QueueSettingsEvent, RequestLimitState } from '../../preload/contract/queue-settings'
import { runCli } from '../support/cli'
import { type HeadlessApp, startHeadlessApp } from '../support/headless-app'
import { contractSocket } from '../support/web-client'

const TOKEN = 'settings-test-token-'.padEnd(40, 'x')

const settings = (dataDir: string, ...args: string[]) => runCli(['--data-dir', dataDir, ...args])

describe('obs-sync settings (built CLI)', () => {
  it('shows, saves, and refuses a bad value with exit 2 and a clear message, changing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-settings-'))
    try {
      const shown = await settings(dir, 'settings')
      expect(shown.code).toBe(0)
      expect(shown.stdout).toBe(
        'Request limit: 64 requests at a time over all uploads (saved in this data folder)\nUpload limit: none\nKeep finished uploads: 7 days\n',
      )
      const one = await mkdtemp(join(tmpdir(), 'obs-sync-settings-one-'))
      try {
        expect(
          (
            await settings(
              one,
              'settings',
              '--request-limit',
              '1',
              '--bandwidth-limit',
              '512',
              '--keep-done-days',
              '1',
            )
          ).code,
        ).toBe(0)
        expect((await settings(one, 'settings')).stdout).toBe(
          'Request limit: 1 request at a time over all uploads (saved in this data folder)\nUpload limit: 512 KiB/s over all uploads\nKeep finished uploads: 1 day\n',
        )
        // With a unit, as the Transfers view takes it.
        expect((await settings(one, 'settings', '--bandwidth-limit', '5M')).stdout).toContain(
          'Upload limit: 5120 KiB/s over all uploads\n',
        )
        // "none" removes it.
        expect((await settings(one, 'settings', '--bandwidth-limit', 'none')).stdout).toContain(
          'Upload limit: none\n',
        )
      } finally {
        await rm(one, { recursive: true, force: true })
      }
      const saved = await settings(
        dir,
        '--json',
        'settings',
        '--request-limit',
        '5',
        '--keep-done-days',
        '30',
      )
      expect(saved.code).toBe(0)
      expect(JSON.parse(saved.stdout)).toEqual({
        requestLimit: 5,
        bandwidthLimitKiBPerSecond: null,
        keepDoneDays: 30,
      })
      for (const [args, message] of [
        [
          ['--request-limit', '129', '--keep-done-days', '3'],
          '--request-limit: The request limit is at most 128',
        ],
        [['--request-limit', '0'], '--request-limit: The request limit is at least 1'],
        [['--request-limit', '2.5'], '--request-limit takes a whole number'],
        [['--keep-done-days', 'abc', '--request-limit', '6'], '--keep-done-days takes a whole number'],
        [['--keep-done-days', '0'], '--keep-done-days: Keep finished uploads at least 1 day'],
        [
          ['--bandwidth-limit', '0', '--request-limit', '7'],
          '--bandwidth-limit: The bandwidth limit is at least 1 KiB/s',
        ],
        [['--bandwidth-limit', '2.5'], '--bandwidth-limit: The bandwidth limit is a whole number of KiB/s'],
        [['--bandwidth-limit', 'fast'], '--bandwidth-limit takes a rate in KiB/s such as 512'],
        [
          ['--bandwidth-limit', '20000000'],
          '--bandwidth-limit: The bandwidth limit is at most 10000000 KiB/s',
        ],
        [['--keep-done-days', '4000'], '--keep-done-days: Keep finished uploads at most 3650 days'],
      ] as const) {
        const refused = await settings(dir, 'settings', ...args)
        expect({ args, code: refused.code, stdout: refused.stdout }).toEqual({ args, code: 2, stdout: '' })
        expect(refused.stderr).toContain(`obs-sync: ${message}`)
      }
      // Not one of the refused runs saved its other, valid option.
      expect(JSON.parse((await settings(dir, '--json', 'settings')).stdout)).toEqual({
        requestLimit: 5,
        bandwidthLimitKiBPerSecond: null,
        keepDoneDays: 30,
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

/**
 * A setting saved with the CLI while `obs-sync serve` runs on the same data folder reaches the running queue without
 * a restart (it noticed at its next start before): asked over the serve's own WebSocket, as the web UI asks.
 */
describe('obs-sync settings while serve runs on the data folder', () => {
  let dir: string
  let app: HeadlessApp
  let ws: WebSocket
  let ask: Awaited<ReturnType<typeof contractSocket>>['ask']
  const announced: QueueSettingsEvent[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-settings-live-'))
    app = await startHeadlessApp(dir, { OBS_SYNC_WEB_TOKEN: TOKEN })
    ;({ ws, ask } = await contractSocket(app.url, TOKEN))
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString())
      if (frame.type === 'event' && frame.event === 'queue:settings') announced.push(frame.payload)
    })
  }, 60_000)
  afterAll(async () => {
    ws?.close()
    await app?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('--request-limit 3, --bandwidth-limit 256 and --keep-done-days 30: the running serve answers them and tells its views', async () => {
    expect((await ask<RequestLimitState>('queue:request-limit')).requests).toBe(64)
    const saved = await settings(
      dir,
      'settings',
      '--request-limit',
      '3',
      '--bandwidth-limit',
      '256',
      '--keep-done-days',
      '30',
    )
    expect({ code: saved.code, stderr: saved.stderr }).toEqual({ code: 0, stderr: '' })
    const end = Date.now() + 10_000
    while (announced.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    expect(announced.at(-1)).toEqual({
      requestLimit: { requests: 3, saved: 3, fromCommandLine: false },
      bandwidthLimit: { kibPerSecond: 256, saved: 256, fromCommandLine: false },
      keepDoneDays: 30,
    })
    expect(await ask('queue:bandwidth-limit')).toEqual({
      kibPerSecond: 256,
      saved: 256,
      fromCommandLine: false,
    })
    expect(await ask<RequestLimitState>('queue:request-limit')).toEqual({
      requests: 3,
      saved: 3,
      fromCommandLine: false,
    })
    expect((await ask<{ keepDoneDays: number }>('queue:history')).keepDoneDays).toBe(30)
  }, 60_000)
})
