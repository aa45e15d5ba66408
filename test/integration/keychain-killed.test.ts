import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createAppServices } from '../../main/services'
import { until } from '../support/queue-harness'
import { randomFiles } from '../support/random-files'
import { freshBucket, independentClient } from '../support/s3'

/**
 * The keychain daemon (gnome-keyring) killed while the app runs: reading a secret not read before fails with
 * KEYCHAIN_UNAVAILABLE and a message saying what to do; uploads already running with a cached client go on to
 * the end, read back with an independent client. Its own keyring (the shared one must survive), and its own
 * file, so its own worker process: libsecret keeps its bus connection for the life of a process.
 */
const { rgw } = inject('services')
const script = resolve(import.meta.dirname, '../support/keyring.sh')
const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex')

describe('the keychain daemon killed while uploading', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-killed-keyring-'))
    execFileSync('bash', [script, 'start', dir], { stdio: ['ignore', 'ignore', 'pipe'] })
    const env = JSON.parse(await readFile(join(dir, 'env.json'), 'utf8'))
    process.env.DBUS_SESSION_BUS_ADDRESS = env.DBUS_SESSION_BUS_ADDRESS
  }, 60_000)
  afterAll(() => {
    execFileSync('bash', [script, 'stop', '--purge', dir], { stdio: 'ignore' })
  })

  it('new secret reads fail with KEYCHAIN_UNAVAILABLE; running uploads finish', async () => {
    const services = createAppServices({
      dataDir: await mkdtemp(join(tmpdir(), 'obs-sync-killed-home-')),
      host: 'web',
      concurrency: 2,
      bandwidthBytesPerSecond: 256 * 1024,
      log: () => {},
    })
    const account = (name: string) => ({
      name,
      provider: 'ceph-rgw' as const,
      endpoint: rgw.httpsEndpoint,
      region: rgw.region,
      addressing: 'path' as const,
      caFile: rgw.caFile,
      accessKeyId: rgw.accessKeyId,
      secretAccessKey: rgw.secretAccessKey,
    })
    const uploading = await services.client.call('accounts:add', account('uploading'))
    const unused = await services.client.call('accounts:add', account('not-read-yet'))
    const bucket = await freshBucket(rgw, 'keyring-killed')
    const { dir: source, hashes } = await randomFiles('obs-sync-killed-src-', 16, 96 * 1024)
    services.startQueue()
    const { jobIds } = await services.client.call('queue:enqueue', {
      accountId: uploading.id,
      bucket,
      prefix: '',
      paths: [...hashes.keys()].map((name) => join(source, name)),
      encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] },
    })
    await until(() => services.queue.list().some((j) => j.state === 'done'), 60_000, 'a first upload')

    // Kill the keyring daemon only (the bus stays: a client then gets ServiceUnknown, as on a desktop whose
    // gnome-keyring crashed), by the PID its script wrote.
    const pid = Number(readFileSync(join(dir, 'run', 'gnome-keyring-daemon.pid'), 'utf8'))
    process.kill(pid, 'SIGKILL')
    const doneAtKill = services.queue.list().filter((j) => j.state === 'done').length
    await until(
      () => {
        try {
          process.kill(pid, 0)
          return false
        } catch {
          return true
        }
      },
      10_000,
      'the keyring daemon to be gone',
    )

    const started = Date.now()
    const refused = await services.client.call('storage:buckets', unused.id).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect((refused as Error).message).toMatch(/The OS keychain cannot be reached .*Start a Secret Service/)
    expect(Date.now() - started).toBeLessThan(15_000)

    const jobs = await services.queue.waitFor(jobIds)
    expect(jobs.map((j) => j.state)).toEqual(jobIds.map(() => 'done'))
    // Not all were done when the daemon died: the later ones ran on the cached client.
    expect(doneAtKill).toBeLessThan(16)
    const reader = independentClient(rgw)
    for (const [key, hash] of hashes) {
      const head = await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[0])
      const body = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      expect(sha256(await body.Body!.transformToByteArray())).toBe(hash)
    }
    await services.shutdown()
  }, 180_000)
})
