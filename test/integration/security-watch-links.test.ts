// Finding #1 (High), the watcher half (listed in test/unit/security-index.test.ts): a watched folder with links
// to a file and a folder outside it, a link created while watching, a hard link and a FIFO. Only the regular
// files (the hard link included) reach the bucket; every link is reported in the activity log.
import { execFileSync } from 'node:child_process'
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, inject, it } from 'vitest'
import { bucketForDescribe } from '../support/per-describe'
import { until } from '../support/queue-harness'
import { independentClient, storedObjects } from '../support/s3'
import { createSyncHarness } from '../support/sync-harness'

const { rgw } = inject('services')

async function remoteKeys(bucket: string): Promise<string[]> {
  return (await storedObjects(rgw, bucket, 'w/')).map((o) => o.key).sort()
}

describe('#1 a watched folder never uploads through a link', () => {
  const bucket = bucketForDescribe(rgw, 'sec-links')

  it('scan and watcher: links to a file or folder outside, and a link made while watching, are skipped and reported', async () => {
    const base = await mkdtemp(join(tmpdir(), 'obs-sync-sec-'))
    const folder = join(base, 'watched')
    const outside = join(base, 'outside')
    await mkdir(join(outside, 'private'), { recursive: true })
    await mkdir(folder)
    await writeFile(join(outside, 'secret.txt'), 'SECRET-BYTES')
    await writeFile(join(outside, 'shared.txt'), 'HARD-LINKED')
    await writeFile(join(outside, 'private', 'key.pem'), 'PRIVATE-KEY')
    await writeFile(join(folder, 'plain.txt'), 'plain')
    await symlink('../outside/secret.txt', join(folder, 'pre-link.txt'))
    await symlink(join(outside, 'private'), join(folder, 'linked-dir'))
    await link(join(outside, 'shared.txt'), join(folder, 'hard-link.txt'))
    execFileSync('mkfifo', [join(folder, 'pipe')])

    const h = await createSyncHarness(rgw, { settleMs: 300 })
    const uploaded = new Set<string>()
    h.queue.onFinished((job, outcome) => outcome === 'done' && uploaded.add(job.key))
    await h.sync.add(h.pairInput(folder, bucket, { prefix: 'w/' }))
    await until(
      () => uploaded.has('w/plain.txt') && uploaded.has('w/hard-link.txt'),
      20_000,
      'the first pass',
    )

    // While watching: a new link to the secret, a file appearing inside the linked folder, then a plain file.
    await symlink(join(outside, 'secret.txt'), join(folder, 'later-link.txt'))
    await writeFile(join(outside, 'private', 'new.pem'), 'NEW-PRIVATE-KEY')
    await writeFile(join(folder, 'after.txt'), 'after')
    await until(() => uploaded.has('w/after.txt'), 20_000, 'after.txt')
    // later-link.txt settled before after.txt (made first); give a late batch a second all the same.
    await new Promise((r) => setTimeout(r, 1000))
    expect(await remoteKeys(bucket)).toEqual(['w/after.txt', 'w/hard-link.txt', 'w/plain.txt'])
    expect(
      h.sentWithKey.filter((c) => /link\.txt|linked-dir|pipe/.test(c) && !c.includes('hard-link')),
    ).toEqual([])
    const hard = await independentClient(rgw).send(
      new GetObjectCommand({ Bucket: bucket, Key: 'w/hard-link.txt' }),
    )
    expect(await hard.Body?.transformToString()).toBe('HARD-LINKED')
    const warnings = h.activity.filter((a) => a.level === 'warning').map((a) => a.message)
    // Each once: the scan and the watcher both meet a link, and the user reads one line for it.
    for (const name of ['pre-link.txt', 'linked-dir', 'later-link.txt'])
      expect(
        warnings.filter((m) => m.includes(name) && m.includes('symbolic link')),
        name,
      ).toHaveLength(1)
    expect(warnings.some((m) => m.includes('pipe') && m.includes('not a regular file'))).toBe(true)

    // A link removed and made again is news again: reported a second time (and still not uploaded).
    await rm(join(folder, 'later-link.txt'))
    await writeFile(join(folder, 'after-removal.txt'), 'x')
    await until(() => uploaded.has('w/after-removal.txt'), 20_000, 'after-removal.txt')
    await symlink(join(outside, 'secret.txt'), join(folder, 'later-link.txt'))
    const laterLines = () =>
      h.activity.filter((a) => a.level === 'warning' && a.message.includes('later-link.txt')).length
    await until(() => laterLines() === 2, 20_000, 'the second report of later-link.txt')
    expect(await remoteKeys(bucket)).toEqual([
      'w/after-removal.txt',
      'w/after.txt',
      'w/hard-link.txt',
      'w/plain.txt',
    ])
    await h.close()
  })
})
