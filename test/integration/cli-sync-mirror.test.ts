import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, runCli } from '../support/cli'
import { freshBucket, independentClient } from '../support/s3'

const { rgw } = inject('services')

/**
 * `obs-sync sync --mirror` and its deletion cap, end to end: a pass that would delete more than the cap deletes
 * nothing, exits 1 and does not say "In sync." (it did, above the refusal); --confirm-deletes lets it through.
 */
describe('obs-sync sync --mirror: the deletion cap', () => {
  let home: string
  let bucket: string
  let dir: string
  const sync = (...extra: string[]) =>
    runCli(['--data-dir', home, 'sync', dir, '--bucket', bucket, '--mirror', ...extra])
  const keys = async () =>
    ((await independentClient(rgw).send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [])
      .map((o) => o.Key)
      .sort()

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-mirror-home-'))
    bucket = await freshBucket(rgw, 'mirror')
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
    dir = await mkdtemp(join(tmpdir(), 'obs-sync-mirror-'))
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(dir, name), name)
  })

  it('over the cap: nothing deleted, exit 1, the reason, no "In sync."; confirmed: deleted, in sync', async () => {
    const first = await sync()
    expect(first.code).toBe(0)
    expect(first.stdout.trim().split('\n').at(-1)).toBe('In sync.')
    expect(await keys()).toEqual(['a.txt', 'b.txt', 'c.txt'])

    await rm(join(dir, 'a.txt'))
    await rm(join(dir, 'b.txt'))
    const refused = await sync()
    expect(refused.code).toBe(1)
    expect(refused.stdout).not.toContain('In sync.')
    expect(refused.stdout.trim().split('\n').at(-1)).toBe('Not in sync: see below.')
    expect(refused.stderr).toContain(
      'Refusing to delete 2 of 3 remote files (67%, more than the 10% safety cap) in one pass.',
    )
    expect(await keys()).toEqual(['a.txt', 'b.txt', 'c.txt'])
    // --json: the refusal's counts as data, for scripts (and the same English sentence).
    const asJson = await runCli(['--json', '--data-dir', home, 'sync', dir, '--bucket', bucket, '--mirror'])
    expect(asJson.code).toBe(1)
    expect(JSON.parse(asJson.stdout.trim().split('\n').at(-1) ?? '')).toEqual({
      error: {
        code: 'DELETIONS_HELD',
        message:
          'Refusing to delete 2 of 3 remote files (67%, more than the 10% safety cap) in one pass. Confirm the deletion to go ahead.',
        params: { deletions: 2, tracked: 3, percent: 67, cap: 10 },
      },
    })
    expect(await keys()).toEqual(['a.txt', 'b.txt', 'c.txt'])

    const confirmed = await sync('--confirm-deletes')
    expect(confirmed.stderr).toBe('')
    expect(confirmed.code).toBe(0)
    expect(confirmed.stdout.trim().split('\n').at(-1)).toBe('In sync.')
    expect(await keys()).toEqual(['c.txt'])
  })
})
