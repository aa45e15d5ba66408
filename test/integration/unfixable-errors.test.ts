import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { cliHomeWithAccount, kmsTarget, runCli } from '../support/cli'
import { createQueueHarness, harnessAccount } from '../support/queue-harness'
import { faultProxiesToRgw } from '../support/rgw-fault-proxy'
import { freshBucket, independentClient } from '../support/s3'

// Issue 14, errors that waiting cannot fix: a certificate made out to another name holds the account's jobs
// with the reason (no retry loop); a host name that does not resolve is retried for a bounded time, then
// reported as such; the CLI prints each reason (grouped by cause) before its summary, and its counts match
// `obs-sync status`.

const { rgw } = inject('services')

async function sourceDir(count: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'obs-sync-unfixable-'))
  for (let i = 0; i < count; i++) await writeFile(join(dir, `f${i}.txt`), `file ${i}`)
  return dir
}

describe('errors that waiting cannot fix', () => {
  const proxyToRgw = faultProxiesToRgw(rgw)

  it('a certificate for another name holds the jobs with the reason; the CLI groups it and counts as status does', async () => {
    // 127.0.0.2 reaches RGW through the proxy, but RGW's certificate names only localhost and 127.0.0.1.
    const proxy = await proxyToRgw({ listenHost: '127.0.0.2' })
    // The harness account, reaching RGW through the proxy.
    const [home, bucket] = await Promise.all([
      cliHomeWithAccount(rgw, {
        prefix: 'obs-sync-unfixable-home-',
        name: 'mismatch',
        endpoint: proxy.url(),
      }),
      freshBucket(rgw, 'unfixable'),
    ])
    const dir = await sourceDir(6)
    const started = Date.now()
    const upload = await runCli(
      ['--data-dir', home, 'upload', dir, ...kmsTarget(bucket, rgw.kmsKeyIds[0]!)],
      {},
    )
    // Held at once, not retried for minutes.
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(upload.code).toBe(1)
    const lines = upload.stdout.trim().split('\n')
    // One line for the cause shared by all six, the objects concerned, then the summary.
    expect(lines.at(-3)).toMatch(
      /^6 held: The TLS certificate of https:\/\/127\.0\.0\.2:\d+ is made out to another name .*127\.0\.0\.2.*Check the endpoint address/,
    )
    expect(lines.at(-2)).toMatch(/^ {2}\S+\/f\d\.txt, .*, and 1 more$/)
    expect(lines.at(-1)).toBe('0 uploaded, 0 failed, 6 held (still queued).')
    expect(upload.stderr).toMatch(/^obs-sync: 6 upload\(s\) did not finish: The TLS certificate/m)

    const status = await runCli(['--data-dir', home, 'status'])
    expect(status.stdout).toMatch(/^State: error$/m)
    // The cause under the state, not only a count (#14): the held account's reason.
    expect(status.stdout).toMatch(
      /^State: error\n {2}Certificate not trusted: The TLS certificate of https:\/\/127\.0\.0\.2:\d+ is made out to another name/m,
    )
    expect(status.stdout).toMatch(/^Queued 6 \(6 held\), paused 0, failed 0, done 0$/m)
    // One line for the cause with the same count as the summary above and as `upload` printed, then the objects.
    expect(status.stdout.match(/^6 held: .*made out to another name/gm)).toHaveLength(1)
    expect(status.stdout).toMatch(/^ {2}\S+\/f\d\.txt, .*, and 1 more$/m)
    expect(status.stdout.match(/held:/g)).toHaveLength(1)
    const json = JSON.parse((await runCli(['--data-dir', home, '--json', 'status'])).stdout)
    expect(json.status).toMatchObject({ state: 'error', queued: 6, failed: 0 })
    // Nothing went out under the wrong name.
    const listing = await independentClient(rgw).send(new ListObjectsV2Command({ Bucket: bucket }))
    expect(listing.KeyCount ?? 0).toBe(0)
  }, 90_000)

  it('a host name that does not resolve is retried for a bounded time, then each job fails saying so', async () => {
    const h = await createQueueHarness(rgw, {
      // .invalid never resolves (RFC 2606). Backoff at its shortest (random 0) keeps the test to about a minute.
      account: harnessAccount(rgw, { endpoint: 'https://no-such-host.invalid' }),
      random: () => 0,
    })
    h.queue.start()
    const dir = await sourceDir(2)
    const { jobIds } = await h.queue.enqueue({
      accountId: 'acct-1',
      bucket: 'whatever',
      prefix: '',
      paths: [join(dir, 'f0.txt'), join(dir, 'f1.txt')],
      encryption: { mode: 'sse-kms', keyId: rgw.kmsKeyIds[0] },
    })
    const jobs = await h.queue.waitFor(jobIds)
    await h.queue.stop()
    for (const job of jobs) {
      expect(job.state).toBe('failed')
      expect(job.attempts).toBe(8)
      expect(job.error?.code).toBe('HOST_NOT_FOUND')
      expect(job.error?.message).toMatch(/host name of https:\/\/no-such-host\.invalid does not resolve/)
    }
    // While it retried, the status said offline with the reason.
    expect(
      h.statuses.some((s) => s.state === 'offline' && /does not resolve/.test(s.offlineReason ?? '')),
    ).toBe(true)
  }, 180_000)
})
