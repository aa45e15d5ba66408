import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createKeytarStore } from '../../main/core/credentials/keytar-store'
import { createCustomerKeys } from '../../main/core/encryption/customer-keys'
import { sseCustomerParams } from '../../main/core/encryption/sse-headers'
import { addHarnessAccount, runCli } from '../support/cli'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

describe('obs-sync get: folders and objects into a local folder, through the contract', () => {
  let home: string
  let bucket: string
  let keyName: string
  const bodies = new Map<string, Buffer>()
  const cli = (args: string[]) => runCli(['--data-dir', home, ...args])

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-get-home-'))
    bucket = await freshBucket(rgw, 'get')
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    const listed = JSON.parse((await cli(['--json', 'account', 'list'])).stdout) as { id: string }[]
    const accountId = listed[0]?.id as string
    // An SSE-C key made the way the app makes it: kept in the (test run's) keychain under the account.
    keyName = `get-${randomBytes(3).toString('hex')}`
    const keys = createCustomerKeys(createKeytarStore())
    await keys.create(accountId, keyName)
    const material = await keys.material(accountId, keyName)
    const s3 = independentClient(rgw)
    for (let i = 0; i < 6; i++) {
      const key = `set/${i % 2 ? 'kms' : 'c'}/${i}.bin`
      const body = randomBytes(20_000 + i)
      bodies.set(key, body)
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          Metadata: { sha256: createHash('sha256').update(body).digest('hex') },
          ...(i % 2
            ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: rgw.kmsKeyIds[0] }
            : sseCustomerParams(material)),
        }),
      )
    }
  })

  it('downloads a folder of SSE-KMS and SSE-C objects byte for byte, and compares on the second run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-get-'))
    const noKey = await cli(['get', `${bucket}/set/`, dir])
    expect(noKey.code).toBe(1)
    expect(noKey.stderr + noKey.stdout).toMatch(
      /3 object\(s\) are encrypted with an SSE-C key not given: add --sse-c-key/,
    )

    const got = await cli(['get', `${bucket}/set/`, dir, '--sse-c-key', keyName])
    expect(got.code, got.stderr).toBe(0)
    // The 3 SSE-KMS files of the first run are there already and equal: compare (the CLI default) skips them.
    expect(got.stdout).toMatch(/3 downloaded .*3 skipped/)
    for (const [key, body] of bodies) {
      expect((await readFile(join(dir, key))).equals(body), key).toBe(true)
    }

    await writeFile(join(dir, 'set/kms/1.bin'), 'edited')
    const getOne = (onExists: string, ...options: string[]) =>
      cli([...options, 'get', `${bucket}/set/kms/1.bin`, join(dir, 'set/kms'), '--on-exists', onExists])
    const skip = await getOne('skip', '--json')
    expect(skip.code).toBe(0)
    expect(JSON.parse(skip.stdout)[0]).toMatchObject({ filesSkipped: 1, filesDone: 0 })
    expect(await readFile(join(dir, 'set/kms/1.bin'), 'utf8')).toBe('edited')
    const overwrite = await getOne('overwrite')
    expect(overwrite.code).toBe(0)
    expect((await readFile(join(dir, 'set/kms/1.bin'))).equals(bodies.get('set/kms/1.bin') as Buffer)).toBe(
      true,
    )
  })

  it('refuses a wrong command line with exit code 2, and a missing object with 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-get-'))
    const bad = await cli(['get', `${bucket}/set/`, dir, '--on-exists', 'clobber'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--on-exists must be overwrite, skip, rename, compare/)
    const one = await cli(['get', dir])
    expect(one.code).toBe(2)
    const missing = await cli(['get', `${bucket}/nothing-here.txt`, dir])
    expect(missing.code).toBe(1)
    expect(missing.stdout + missing.stderr).toMatch(/There is no object "nothing-here.txt"/)
  })
})
