import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, kmsTarget, runCli } from '../support/cli'
import { freshBucket, storedObjects } from '../support/s3'

const { rgw } = inject('services')
const PROBE = resolve(import.meta.dirname, '../support/loaded-modules-probe.cjs')

/**
 * An upload of many small files sends each as one signed PUT and lists the folder once (the check for objects
 * already there) with the app's own signed requests: the SDK's S3 client (~170 ms of CPU and ~20 MB of memory to
 * load) is never needed, so it is never loaded. Measured by what the real CLI process loaded, against RGW.
 */
describe('obs-sync upload of small files, without the SDK client', () => {
  let home: string
  let dir: string
  let bucket: string
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-light-home-'))
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    bucket = await freshBucket(rgw, 'light')
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-light-'))
    for (let i = 0; i < 20; i++) await writeFile(join(dir, `f-${i}.txt`), `file ${i}`)
  })

  async function uploadLoading(...extra: string[]) {
    const probeOut = join(home, `loaded-${Date.now()}.txt`)
    const run = await runCli(
      ['--data-dir', home, 'upload', dir, ...kmsTarget(bucket, rgw.kmsKeyIds[0]!), ...extra],
      { NODE_OPTIONS: `--require ${PROBE}`, OBS_SYNC_TEST_LOADED_MODULES: probeOut },
    )
    return { run, loaded: (await readFile(probeOut, 'utf8')).split('\n') }
  }

  it('uploads 20 files after listing the folder, and loads neither the S3 client nor its HTTP handler', async () => {
    const { run, loaded } = await uploadLoading('--on-exists', 'skip')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^20 uploaded\.$/m)
    expect((await storedObjects(rgw, bucket)).map((o) => o.key).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `${basename(dir)}/f-${i}.txt`).sort(),
    )
    // The probe works: the signer the PUTs need was loaded.
    expect(loaded).toContain('@smithy/signature-v4')
    expect(loaded).not.toContain('@aws-sdk/client-s3')
    expect(loaded).not.toContain('@smithy/node-http-handler')
  })

  it('the same files again: the listing finds them all, nothing is sent, still without the S3 client', async () => {
    const { run, loaded } = await uploadLoading('--on-exists', 'skip')
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(/^uploaded /m)
    expect(loaded).not.toContain('@aws-sdk/client-s3')
  })
})
