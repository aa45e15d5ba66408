import { createHash, randomBytes } from 'node:crypto'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import Database from 'better-sqlite3'
import { describe, expect, inject, it } from 'vitest'
import { cliPlace, kmsTarget, runCli, startCli } from '../support/cli'
import { faultProxiesToRgw } from '../support/rgw-fault-proxy'
import { independentClient, openMultipartUploads } from '../support/s3'

// Issue 14: `obs-sync upload` of a 200 MiB file killed with SIGKILL five times, each time while a part is
// being sent (the fault proxy in front of RGW counts the bytes: the kill waits until this run has sent at
// least 2 MiB and the queue DB holds the multipart upload id). Each restart resumes the same multipart upload
// from the parts RGW already has (ListParts), so the bytes sent in all runs stay well under twice the file,
// and the object ends complete, encrypted, once, with no multipart upload left open.

const { rgw } = inject('services')
const MiB = 1024 * 1024
const FILE_MIB = 200
const KILLS = 5

async function writeRandomFile(path: string, mib: number): Promise<string> {
  const handle = await open(path, 'w')
  const hash = createHash('sha256')
  for (let i = 0; i < mib; i++) {
    const chunk = randomBytes(MiB)
    hash.update(chunk)
    await handle.write(chunk)
  }
  await handle.close()
  return hash.digest('hex')
}

function uploadIdIn(dataDir: string): string | null {
  try {
    const db = new Database(join(dataDir, 'queue.db'), { readonly: true, fileMustExist: true })
    try {
      const row = db.prepare('SELECT upload_id FROM jobs ORDER BY id LIMIT 1').get() as
        | { upload_id: string | null }
        | undefined
      return row?.upload_id ?? null
    } finally {
      db.close()
    }
  } catch {
    return null
  }
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('crash safety of a multipart upload: SIGKILL while parts are in flight', () => {
  const proxyToRgw = faultProxiesToRgw(rgw)

  it('resumes from the parts stored after each of five kills; under 2x the file sent; object correct', async () => {
    // 25 MiB/s: the file takes ~8 s of sending, so five kills all land in the middle of it.
    const proxy = await proxyToRgw({ link: { upBytesPerSecond: 25 * MiB } })
    // The harness account, reaching RGW through the proxy.
    const { home, bucket, dir } = await cliPlace(rgw, 'mpcrash', { endpoint: proxy.url() })
    const path = join(dir, 'big.bin')
    const hash = await writeRandomFile(path, FILE_MIB)
    const upload = ['--data-dir', home, 'upload', path, ...kmsTarget(bucket, rgw.kmsKeyIds[0]!)]

    const uploadIds = new Set<string>()
    for (let kill = 1; kill <= KILLS; kill++) {
      const before = proxy.stats().bytesToTarget
      const child = startCli(upload)
      // A run that ends by itself (an error) must not leave the test waiting for bytes that never come.
      const whileRunning = <T>(waiting: Promise<T>) =>
        Promise.race([
          waiting,
          child.result.then((r) => {
            throw new Error(
              `run ${kill} ended by itself (${r.code}): ${r.stderr.slice(-1500)} ${r.stdout.slice(-500)}`,
            )
          }),
        ])
      // A part is in flight: this run has sent 2 MiB more than the last one left off, and the multipart
      // upload it belongs to is recorded.
      await whileRunning(proxy.waitFor('bytesToTarget', before + 2 * MiB, 180_000))
      await whileRunning(
        until(() => uploadIdIn(home) !== null, 30_000, 'the multipart upload id in queue.db'),
      )
      // Spread the kills over the file: each run sends a sixth of it or so before it dies.
      await whileRunning(proxy.waitFor('bytesToTarget', before + (FILE_MIB / (KILLS + 1)) * MiB, 180_000))
      const inFlight = proxy.stats().bytesToTarget - before
      child.kill('SIGKILL')
      const run = await child.result
      expect(run.signal, `run ${kill} ended before the kill (sent ${inFlight} bytes)`).toBe('SIGKILL')
      uploadIds.add(uploadIdIn(home) ?? '')
    }
    // Every restart continued the one multipart upload the first run created.
    expect(uploadIds.size).toBe(1)

    const beforeFinal = proxy.stats().bytesToTarget
    const final = await runCli(upload)
    expect(final.stderr).not.toMatch(/obs-sync:/)
    expect(final.code).toBe(0)
    expect(final.stdout).toMatch(/^1 uploaded\.$/m)
    const finalBytes = proxy.stats().bytesToTarget - beforeFinal
    const total = proxy.stats().bytesToTarget
    // Resumed, not restarted: the last run sent only what was missing, and all runs together < 2x the file.
    expect(finalBytes).toBeLessThan(0.75 * FILE_MIB * MiB)
    expect(total).toBeLessThan(2 * FILE_MIB * MiB)

    const reader = independentClient(rgw)
    const head = await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big.bin' }))
    expect(head.ContentLength).toBe(FILE_MIB * MiB)
    expect(head.SSEKMSKeyId).toBe(rgw.kmsKeyIds[0])
    expect(head.Metadata?.sha256).toBe(hash)
    const body = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }))
    const readBack = createHash('sha256')
    for await (const chunk of body.Body as AsyncIterable<Buffer>) readBack.update(chunk)
    expect(readBack.digest('hex')).toBe(hash)
    expect(await openMultipartUploads(rgw, bucket)).toEqual([])
  }, 900_000)
})
