import { describe, expect, it } from 'vitest'
import { AppError } from '../../main/core/errors'
import { createDispatch } from '../../main/ipc/dispatch'
import { createHandlers } from '../../main/ipc/handlers'
import type { Account, AppInfo } from '../../preload/contract/models'
import { handlerDepsStub } from '../support/handler-deps-stub'

const info: AppInfo = {
  name: 'OBS Sync',
  version: '0.1.0',
  host: 'web',
  platform: 'linux-x64',
  nodeVersion: '20',
  dataDir: '/tmp/x',
}
const account: Account = {
  id: 'a1',
  name: 'work',
  provider: 'huawei-obs',
  endpoint: 'https://obs.eu-de.otc.t-systems.com',
  region: 'eu-de',
  addressing: 'virtual-hosted',
  accessKeyId: 'AKIAEXAMPLE',
}

function dispatchWith(
  deps: { accounts?: { list: () => Promise<unknown[]> } },
  onInternal?: (e: unknown) => void,
) {
  return createDispatch(
    createHandlers(
      handlerDepsStub({
        appInfo: () => info,
        accounts: { list: (deps.accounts?.list ?? (async () => [account])) as never },
      }),
    ),
    onInternal,
  )
}

describe('dispatch: the one door from a transport into the handlers', () => {
  it('answers a valid call with the ok envelope', async () => {
    expect(await dispatchWith({})('app:info', [])).toEqual({ ok: true, value: info })
    expect(await dispatchWith({})('accounts:list', [])).toEqual({ ok: true, value: [account] })
  })

  it('refuses an unknown channel, including prototype names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 42]) {
      const result = await dispatchWith({})(name, [])
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
    }
  })

  it('refuses a relative path to upload (it was read from the folder the server was started in); queues nothing', async () => {
    let queued = 0
    const dispatch = createDispatch(
      createHandlers(
        handlerDepsStub({
          queue: {
            enqueue: async () => {
              queued++
              return { jobIds: [], skipped: [] }
            },
          } as never,
        }),
      ),
    )
    const request = { accountId: 'a1', bucket: 'b', prefix: '' }
    for (const path of ['photos/a.jpg', './a.jpg', '~/a.jpg', '../etc/hostname', 'C:rel.txt'])
      expect(await dispatch('queue:enqueue', [{ ...request, paths: ['/srv/ok.txt', path] }])).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/Give each path in full/) },
      })
    expect(queued).toBe(0)
    for (const path of ['/srv/ok.txt', 'C:\\Users\\me\\a.txt', 'd:/photos', '\\\\nas\\share\\a.txt'])
      expect(await dispatch('queue:enqueue', [{ ...request, paths: [path] }])).toMatchObject({ ok: true })
    expect(queued).toBe(4)
    // A target folder named '.' or '..': its keys would read as the folders above in other tools.
    for (const prefix of ['../../etc', 'a/../b', './x', 'a/ .. /b'])
      expect(await dispatch('queue:enqueue', [{ ...request, prefix, paths: ['/srv/ok.txt'] }])).toMatchObject(
        {
          ok: false,
          error: {
            code: 'INVALID_ARGUMENT',
            message: expect.stringMatching(/cannot be named '\.' or '\.\.'/),
          },
        },
      )
    for (const prefix of ['..hidden/a', 'a.b/c..', '/lead//double/'])
      expect(await dispatch('queue:enqueue', [{ ...request, prefix, paths: ['/srv/ok.txt'] }])).toMatchObject(
        {
          ok: true,
        },
      )
    expect(queued).toBe(7)
  })

  it('refuses arguments that do not match the schema', async () => {
    const result = await dispatchWith({})('app:info', ['extra'])
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    expect(await dispatchWith({})('app:info', 'not-an-array')).toMatchObject({ ok: false })
  })

  it('names the rule a refused number broke, so the window can say it in the user language', async () => {
    const refused = async (value: unknown) => {
      const result = await dispatchWith({})('queue:set-request-limit', [value])
      if (result.ok) throw new Error(`${String(value)} was accepted`)
      expect(result.error.code).toBe('INVALID_ARGUMENT')
      // The English sentence keeps the channel and the schema's words for the CLI and raw clients.
      expect(result.error.message).toMatch(/^Invalid arguments for queue:set-request-limit at argument 0: /)
      return result.error.params
    }
    expect(await refused(130)).toEqual({ rule: 'numberAtMost', maximum: 128 })
    expect(await refused(0)).toEqual({ rule: 'numberAtLeast', minimum: 1 })
    expect(await refused(2.5)).toEqual({ rule: 'wholeNumber' })
    expect(await refused(Number.NaN)).toEqual({ rule: 'numberExpected' })
    expect(await refused('eight')).toEqual({ rule: 'numberExpected' })
    // Other shapes have no rule: the code's general sentence words them.
    const other = await dispatchWith({})('app:info', ['extra'])
    expect(other).toMatchObject({ ok: false })
    expect(other.ok ? undefined : other.error.params).toBeUndefined()
  })

  it('keeps the code and message of an AppError', async () => {
    const dispatch = dispatchWith({
      accounts: {
        list: async () => {
          throw new AppError('KEYCHAIN_LOCKED', 'The OS keychain is locked.')
        },
      },
    })
    expect(await dispatch('accounts:list', [])).toEqual({
      ok: false,
      error: { code: 'KEYCHAIN_LOCKED', message: 'The OS keychain is locked.' },
    })
  })

  it('hides the details of an unexpected error from the renderer but reports it', async () => {
    const reported: unknown[] = []
    const dispatch = dispatchWith(
      {
        accounts: {
          list: async () => {
            throw new Error('secret=hunter2 at /home/me/file')
          },
        },
      },
      (e) => reported.push(e),
    )
    const result = await dispatch('accounts:list', [])
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(result)).not.toContain('hunter2')
    expect(reported).toHaveLength(1)
  })

  it('strips fields that are not in the contract from results, so a secret cannot leak', async () => {
    const leaky = { ...account, secretAccessKey: 'wJalrXUtnFEMI' }
    const result = await dispatchWith({ accounts: { list: async () => [leaky] } })('accounts:list', [])
    expect(JSON.stringify(result)).not.toContain('wJalrXUtnFEMI')
    expect(result).toEqual({ ok: true, value: [account] })
  })
})
