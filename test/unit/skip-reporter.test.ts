import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LINK, SPECIAL } from '../../main/core/sync/folder-walk'
import { createSkipReporter } from '../../main/core/sync/skip-reporter'

/** A watched folder's skipped entries as the user reads them in the activity log: one line per entry. */
describe('skipped paths are reported once per entry', () => {
  async function setUp() {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sync-skips-'))
    await writeFile(join(dir, 'target.txt'), 'outside')
    const lines: string[] = []
    const skips = createSkipReporter((_level, message) => lines.push(message))
    return { dir, lines, skips, link: join(dir, 'link.txt') }
  }

  it('the same link met by the pass and the watcher is one line; made again after removal, a second', async () => {
    const { dir, lines, skips, link } = await setUp()
    await symlink(join(dir, 'target.txt'), link)
    skips.report({ path: link, ...LINK })
    skips.report({ path: link, ...LINK })
    expect(lines).toEqual([`${link} is skipped: ${LINK.reason}.`])
    await rm(link)
    // Another entry of another kind at the same path (a link to a file that was not there before).
    await writeFile(join(dir, 'other.txt'), 'other')
    await symlink(join(dir, 'other.txt'), link)
    skips.report({ path: link, ...LINK })
    expect(lines).toHaveLength(2)
  })

  it('another reason for the same entry is a new line; a forgotten path is reported again', async () => {
    const { lines, skips, link, dir } = await setUp()
    await symlink(join(dir, 'target.txt'), link)
    skips.report({ path: link, ...LINK })
    skips.report({ path: link, ...SPECIAL })
    expect(lines).toHaveLength(2)
    skips.forget(link)
    skips.report({ path: link, ...SPECIAL })
    expect(lines).toHaveLength(3)
  })
})
