import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { addHarnessAccount, type CliRun, runCli } from '../support/cli'

const { rgw } = inject('services')
const WRONG = 'wrong-secret-00000000000000000000000000000'

/**
 * `obs-sync account update`: an edit is stored at once (the next command uses it), wrong input is refused with a
 * clear error and leaves the account as it was.
 */
describe('obs-sync account update', () => {
  let home: string
  const cli = (args: string[], input?: string): Promise<CliRun> =>
    runCli(['--data-dir', home, ...args], {}, input)
  const bucketsOk = async () => {
    const ls = await cli(['ls'])
    return ls.code === 0 ? 'ok' : `${ls.code} ${ls.stderr.trim()}`
  }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'obs-sync-cli-account-update-'))
    expect((await addHarnessAccount(home, rgw)).code).toBe(0)
  })

  it('a wrong secret is used by the next command, the right one again after the next update', async () => {
    expect(await bucketsOk()).toBe('ok')

    const broken = await cli(['account', 'update', 'rgw', '--secret-stdin'], WRONG)
    expect(broken.code).toBe(0)
    expect(broken.stdout).toContain('its new secret key is in the OS keychain')
    expect(broken.stdout).not.toContain(WRONG)
    const refused = await cli(['ls'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/secret key|credentials/i)

    const fixed = await cli(['account', 'update', 'rgw', '--secret-stdin'], rgw.secretAccessKey)
    expect(fixed.code).toBe(0)
    expect(await bucketsOk()).toBe('ok')
  })

  it('rename and endpoint changes are stored; a bad endpoint is refused and changes nothing', async () => {
    const renamed = await cli(['account', 'update', 'rgw', '--rename', 'ceph'])
    expect(renamed.code).toBe(0)
    const list = JSON.parse((await cli(['--json', 'account', 'list'])).stdout) as {
      name: string
      endpoint: string
    }[]
    expect(list).toEqual([expect.objectContaining({ name: 'ceph', endpoint: rgw.httpsEndpoint })])

    const badEndpoint = await cli(['account', 'update', 'ceph', '--endpoint', 'not a url'])
    expect(badEndpoint.code).toBe(2)
    expect(badEndpoint.stderr).toMatch(/endpoint/i)
    const both = await cli(['account', 'update', 'ceph', '--path-style', '--virtual-hosted'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('Choose one of --path-style and --virtual-hosted.')
    const empty = await cli(['account', 'update', 'ceph', '--secret-stdin'], '')
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('The secret key is empty.')

    const after = JSON.parse((await cli(['--json', 'account', 'list'])).stdout)
    expect(after).toEqual(list)
    expect(await bucketsOk()).toBe('ok')

    const missing = await cli(['account', 'update', 'no-such-account', '--region', 'x'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('There is no account "no-such-account".')
  })

  it('a CA file typed relative to the current folder is kept as its full path: the account works from anywhere', async () => {
    const [account] = JSON.parse((await cli(['--json', 'account', 'list'])).stdout) as { name: string }[]
    const name = account?.name ?? ''
    const updated = await runCli(
      ['--data-dir', home, 'account', 'update', name, '--ca-file', basename(rgw.caFile)],
      {},
      undefined,
      dirname(rgw.caFile),
    )
    expect(updated.stderr).toBe('')
    expect(updated.code).toBe(0)
    const [stored] = JSON.parse((await cli(['--json', 'account', 'list'])).stdout) as { caFile: string }[]
    expect(stored?.caFile).toBe(rgw.caFile)
    // Run from another folder: the CA file is still found, the TLS connection still verified.
    expect(await bucketsOk()).toBe('ok')
  })
})
