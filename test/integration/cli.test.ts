import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { type CliRun, rgwAccountAddArgs, runCli, startCli } from '../support/cli'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

describe('obs-sync CLI end to end, with exit codes scripts can trust', () => {
  let home: string
  let bucket: string
  const cli = (args: string[], input?: string): Promise<CliRun> =>
    runCli(['--data-dir', home, ...args], {}, input)

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-cli-home-'))
    bucket = await freshBucket(rgw, 'cli')
  })

  it('account add (secret from stdin into the keychain), list, test', async () => {
    // The harness account's arguments, once without its access key id: a usage error (exit 2) naming it.
    const args = rgwAccountAddArgs(rgw)
    const keyAt = args.indexOf('--access-key-id')
    const add = await cli([...args.slice(0, keyAt), ...args.slice(keyAt + 2)], rgw.secretAccessKey)
    expect(add.code).toBe(2)
    expect(add.stderr).toMatch(/access-key-id/)
    const added = await cli(args, rgw.secretAccessKey)
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('Added account "rgw"')
    const list = await cli(['--json', 'account', 'list'])
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'rgw', accessKeyId: rgw.accessKeyId }),
    ])
    expect(list.stdout).not.toContain(rgw.secretAccessKey)
    const test = await cli(['account', 'test', 'rgw'])
    expect(test.code).toBe(0)
    expect(test.stdout).toMatch(/^OK: \d+ bucket\(s\)/)
  })

  it('ls and keys', async () => {
    const buckets = await cli(['ls'])
    expect(buckets.code).toBe(0)
    expect(buckets.stdout.split('\n')).toContain(bucket)
    const none = await cli(['keys'])
    expect(none.code).toBe(0)
    expect(none.stdout).toContain('cannot list its keys')
    const keys = await cli(['keys', '--add', rgw.kmsKeyIds[2]!])
    expect(keys.code).toBe(0)
    expect(keys.stdout).toMatch(new RegExp(`${rgw.kmsKeyIds[2]}\\s+unknown \\(typed by hand\\)`))
    const missing = await cli(['ls', 'no-such-bucket-cli'])
    expect(missing.code).toBe(1)
    expect(missing.stderr.trim().split('\n')).toEqual([
      `obs-sync: The bucket "no-such-bucket-cli" does not exist at ${rgw.httpsEndpoint}.`,
    ])
  })

  it('a wrong limit on the command line is a usage error naming the option, even while serve holds the data folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obs-sync-cli-cap-'))
    await writeFile(join(folder, 'kept.txt'), 'not sent')
    // serve takes the data folder: a command that started anything would answer "another OBS Sync is running".
    const serve = startCli(['--data-dir', home, 'serve'])
    try {
      await new Promise<void>((ready) =>
        serve.stdout?.on('data', (d) => /web UI: http/.test(String(d)) && ready()),
      )
      const refusals: [string[], string][] = [
        // A delete cap that is not a whole percentage used to become NaN: no cap at all.
        [['--delete-cap', 'abc'], '--delete-cap takes a whole number'],
        [['--delete-cap', '12.5'], '--delete-cap takes a whole number'],
        [['--delete-cap', '150'], '--delete-cap: the mirror delete cap must be a whole number from 0 to 100'],
        // A bandwidth limit of "abc", 0 or -5 KiB/s used to mean no limit at all.
        [
          ['--bandwidth', 'abc'],
          '--bandwidth takes a rate in KiB/s such as 512, or with a unit such as 5M or "5 MB/s", or none',
        ],
        [['--bandwidth', '-5'], '--bandwidth: The bandwidth limit is at least 1 KiB/s (none for no limit)'],
        [['--bandwidth', '0'], '--bandwidth: The bandwidth limit is at least 1 KiB/s (none for no limit)'],
        [
          ['--bandwidth', '20x'],
          '--bandwidth takes a rate in KiB/s such as 512, or with a unit such as 5M or "5 MB/s", or none',
        ],
        // A thousands separator was a decimal one in the window's field: refused on both, not guessed.
        [
          ['--bandwidth', '1,000'],
          '--bandwidth: write the number without a thousands separator, e.g. 1000 or 1.5M',
        ],
      ]
      for (const [option, message] of refusals) {
        const [name, value] = option as [string, string]
        const args =
          name === '--delete-cap'
            ? ['sync', folder, '--bucket', bucket, '--mirror', name, value]
            : [name, value, 'upload', folder, '--bucket', bucket]
        const refused = await cli(args)
        expect({ args, code: refused.code, stderr: refused.stderr }).toEqual({
          args,
          code: 2,
          stderr: `obs-sync: ${message}\n`,
        })
      }
    } finally {
      serve.kill('SIGTERM')
      await serve.result
    }
    // Nothing was sent.
    const listed = await independentClient(rgw).send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'obs-sync-cli-cap-' }),
    )
    expect(listed.KeyCount ?? 0).toBe(0)
  })

  it('upload waits until done (exit 0), a second upload of unchanged files sends nothing new, --json reports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-cli-src-'))
    for (let i = 0; i < 5; i++) await writeFile(join(dir, `f${i}.bin`), randomBytes(1000))
    const args = [
      'upload',
      dir,
      '--bucket',
      bucket,
      '--prefix',
      'up',
      '--sse',
      'kms',
      '--kms-key',
      rgw.kmsKeyIds[1]!,
    ]
    const first = await cli(['--json', ...args])
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout.trim().split('\n').at(-1)!)).toMatchObject({ uploaded: 5, failed: 0 })
    const name = dir.split('/').at(-1)
    const head = await independentClient(rgw).send(
      new HeadObjectCommand({ Bucket: bucket, Key: `up/${name}/f0.bin` }),
    )
    expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[1])
    const again = await cli(args)
    expect(again.code).toBe(0)
    expect(again.stdout).not.toContain('uploaded up/')
  })

  it('a saved upload limit holds a CLI upload and is said once; --bandwidth none lifts it for one run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-cli-limit-'))
    await writeFile(join(dir, 'slow.bin'), randomBytes(768 * 1024))
    await writeFile(join(dir, 'fast.bin'), randomBytes(768 * 1024))
    const upload = (file: string, ...global: string[]) =>
      cli([
        ...global,
        'upload',
        join(dir, file),
        '--bucket',
        bucket,
        '--prefix',
        'limited',
        '--sse',
        'kms',
        '--kms-key',
        rgw.kmsKeyIds[1]!,
      ])
    expect((await cli(['settings', '--bandwidth-limit', '256'])).code).toBe(0)
    try {
      const started = Date.now()
      const slow = await upload('slow.bin')
      expect({ code: slow.code, stdout: slow.stdout }).toEqual({
        code: 0,
        stdout: expect.stringContaining(
          'Upload limit: 256 KiB/s (saved in this data folder; `obs-sync settings --bandwidth-limit none` removes it',
        ),
      })
      // 768 KiB at 256 KiB/s: one second of burst, then two more.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1800)
      // `--bandwidth none` lifts the saved limit for this run only.
      const fast = await upload('fast.bin', '--bandwidth', 'none')
      expect(fast.code).toBe(0)
      expect(fast.stdout).not.toContain('Upload limit')
      expect((await cli(['--json', 'settings'])).stdout).toContain('"bandwidthLimitKiBPerSecond":256')
    } finally {
      await cli(['settings', '--bandwidth-limit', 'none'])
    }
    const listed = await independentClient(rgw).send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'limited/' }),
    )
    expect(listed.KeyCount).toBe(2)
  })

  it('upload failures exit 1 with a one-line reason; bad options exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-cli-src-'))
    await writeFile(join(dir, 'x.bin'), 'x')
    const noBucket = await cli([
      'upload',
      join(dir, 'x.bin'),
      '--bucket',
      'no-such-bucket-cli',
      '--sse',
      'obs',
    ])
    expect(noBucket.code).toBe(1)
    expect(noBucket.stderr).toMatch(
      /^obs-sync: 1 upload\(s\) failed: The bucket "no-such-bucket-cli" does not exist/m,
    )
    const unknownKey = await cli([
      'upload',
      join(dir, 'x.bin'),
      '--bucket',
      bucket,
      '--sse',
      'kms',
      '--kms-key',
      'nope',
    ])
    expect(unknownKey.code).toBe(1)
    expect(unknownKey.stderr).toMatch(/KMS key "nope" does not exist/)
    const badSse = await cli(['upload', join(dir, 'x.bin'), '--bucket', bucket, '--sse', 'rot13'])
    expect(badSse.code).toBe(2)
    expect(badSse.stderr).toMatch(/--sse must be kms, obs, c or none/)
    const unknownCommand = await cli(['frobnicate'])
    expect(unknownCommand.code).toBe(2)
    const help = await cli(['upload', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--kms-key <id>')
  })

  it('sync uploads what changed, a second pass nothing; status reports; watch stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-cli-sync-'))
    for (let i = 0; i < 4; i++) await writeFile(join(dir, `s${i}.txt`), `sync ${i}`)
    // The same folder and target for the one-pass sync and for watch.
    const folderAndTarget = [
      dir,
      '--bucket',
      bucket,
      '--prefix',
      'synced',
      '--sse',
      'kms',
      '--kms-key',
      rgw.kmsKeyIds[0]!,
    ]
    const syncArgs = ['sync', ...folderAndTarget]
    const first = await cli(syncArgs)
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('In sync.')
    expect(first.stdout.match(/uploaded synced\//g)).toHaveLength(4)
    const second = await cli(syncArgs)
    expect(second.code).toBe(0)
    expect(second.stdout).not.toContain('uploaded synced/')

    const status = await cli(['--json', 'status'])
    expect(status.code).toBe(0)
    // The two failed uploads of the previous test are still there: the state says so at a glance.
    const summary = JSON.parse(status.stdout)
    expect(summary.status).toMatchObject({ state: 'error', failed: 2, queued: 0 })
    expect(summary.failed.map((j: { error: { code: string } }) => j.error.code).sort()).toEqual([
      'KMS_KEY_NOT_FOUND',
      'NO_SUCH_BUCKET',
    ])
    const plain = await cli(['status'])
    expect(plain.stdout).toMatch(/^Queued 0, paused 0, failed 2, done [1-9]\d*$/m)
    // Grouped by cause (two different ones here), each with its count and object.
    expect(plain.stdout.match(/^1 failed: /gm)).toHaveLength(2)

    const watch = startCli(['--data-dir', home, 'watch', ...folderAndTarget])
    await new Promise((r) => setTimeout(r, 2500))
    await writeFile(join(dir, 'late.txt'), 'late')
    const deadline = Date.now() + 20_000
    for (;;) {
      const found = await independentClient(rgw)
        .send(new HeadObjectCommand({ Bucket: bucket, Key: 'synced/late.txt' }))
        .then(
          () => true,
          () => false,
        )
      if (found) break
      if (Date.now() > deadline) throw new Error('watch did not upload late.txt')
      await new Promise((r) => setTimeout(r, 200))
    }
    // One process runs the queue of a data folder: a second runner is refused, reading it is fine.
    await writeFile(join(dir, 'meanwhile.txt'), 'meanwhile')
    const refused = await cli(['upload', join(dir, 'meanwhile.txt'), '--bucket', bucket])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('already running uploads from this data folder')
    expect((await cli(['status'])).code).toBe(0)
    watch.kill('SIGTERM')
    const stopped = await watch.result
    expect(stopped.code).toBe(0)
    expect(stopped.stdout).toContain('Stopping')
  }, 60_000)
})
