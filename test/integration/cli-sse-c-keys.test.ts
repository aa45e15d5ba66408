import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { sseCustomerParams } from '../../main/core/encryption/sse-headers'
import { addHarnessAccount, runCli } from '../support/cli'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

/**
 * `obs-sync sse-c-key`, end to end with the real keychain and RGW: a key made here, exported for a backup,
 * deleted, imported from that backup, still reads what it wrote (checked by an independent client with the
 * exported key); bad keys are refused and change nothing.
 */
describe('obs-sync sse-c-key: create, export, delete, import (a backup round trip)', () => {
  let home: string
  let bucket: string
  const cli = (args: string[], input?: string) => runCli(['--data-dir', home, ...args], {}, input)
  const names = async () => JSON.parse((await cli(['--json', 'sse-c-key', 'list'])).stdout) as string[]

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-ssec-home-'))
    bucket = await freshBucket(rgw, 'ssec-keys')
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
  })

  it('exports a key that reads the objects written with it, and imports it back after a delete', async () => {
    const name = `backup-${randomBytes(3).toString('hex')}`
    const created = await cli(['sse-c-key', 'create', name])
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toContain('Back it up')
    expect(await names()).toContain(name)

    const exported = await cli(['sse-c-key', 'export', name])
    expect(exported.code, exported.stderr).toBe(0)
    const key = exported.stdout.trim()
    expect(Buffer.from(key, 'base64')).toHaveLength(32)

    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-ssec-src-'))
    const body = randomBytes(50_000)
    await writeFile(join(dir, 'secret.bin'), body)
    const up = await cli([
      'upload',
      join(dir, 'secret.bin'),
      '--bucket',
      bucket,
      '--sse',
      'c',
      '--sse-c-key',
      name,
    ])
    expect(up.code, up.stderr).toBe(0)

    // The exported text is the key itself: an independent client reads the object with it.
    const s3 = independentClient(rgw)
    const read = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'secret.bin', ...sseCustomerParams(key) }),
    )
    expect(Buffer.from(await read.Body!.transformToByteArray()).equals(body)).toBe(true)

    expect((await cli(['sse-c-key', 'delete', name])).code).toBe(0)
    expect(await names()).not.toContain(name)
    const gone = await cli(['get', `${bucket}/secret.bin`, dir, '--sse-c-key', name, '--on-exists', 'rename'])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toContain(`The SSE-C key "${name}" is not in the keychain of this computer`)

    const imported = await cli(['sse-c-key', 'import', name, '--key-stdin'], `${key}\n`)
    expect(imported.code, imported.stderr).toBe(0)
    const out = await mkdtemp(join(tmpdir(), 'obs-sync-ssec-out-'))
    const got = await cli(['get', `${bucket}/secret.bin`, out, '--sse-c-key', name])
    expect(got.code, got.stderr).toBe(0)
    expect((await readFile(join(out, 'secret.bin'))).equals(body)).toBe(true)
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'secret.bin', ...sseCustomerParams(key) }),
    )
    expect(head.SSECustomerKeyMD5).toBe(createHash('md5').update(Buffer.from(key, 'base64')).digest('base64'))
  })

  it('refuses a key that is not 32 bytes of base64, an existing name, and a key on the command line', async () => {
    const name = `kept-${randomBytes(3).toString('hex')}`
    expect((await cli(['sse-c-key', 'create', name])).code).toBe(0)
    const before = (await cli(['sse-c-key', 'export', name])).stdout
    const before_names = await names()

    const short = await cli(
      ['sse-c-key', 'import', 'short', '--key-stdin'],
      randomBytes(16).toString('base64'),
    )
    expect(short.code).toBe(2)
    expect(short.stderr).toContain(
      'An SSE-C key is 256 bits (32 bytes, 44 base64 characters); this one is 16 bytes.',
    )
    const garbage = await cli(['sse-c-key', 'import', 'garbage', '--key-stdin'], 'not a key!')
    expect(garbage.code).toBe(2)
    expect(garbage.stderr).toContain('An SSE-C key is base64 text')
    const empty = await cli(['sse-c-key', 'import', 'empty', '--key-stdin'], '\n')
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('The key is empty.')
    // Replacing a key would make every object written with it unreadable: refused, the old key unchanged.
    const clash = await cli(['sse-c-key', 'import', name, '--key-stdin'], randomBytes(32).toString('base64'))
    expect(clash.code).toBe(2)
    expect(clash.stderr).toContain(`An SSE-C key named "${name}" already exists.`)
    expect((await cli(['sse-c-key', 'export', name])).stdout).toBe(before)
    // No key as an argument (it would be in the process list and the shell history).
    const asArgument = await cli(['sse-c-key', 'import', 'arg', randomBytes(32).toString('base64')])
    expect(asArgument.code).toBe(2)
    expect(await names()).toEqual(before_names)

    const unknown = await cli(['sse-c-key', 'delete', 'no-such-key'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('The SSE-C key "no-such-key" is not in the keychain of this computer')
    // The data folder holds no key material (the keychain does).
    for (const file of await readdir(home, { recursive: true })) {
      const text = await readFile(join(home, file)).catch(() => Buffer.alloc(0))
      expect(text.includes(before.trim()), file).toBe(false)
    }
  })
})
