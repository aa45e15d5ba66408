import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAccountService } from '../../main/core/accounts/account-service'
import { createAccountStore } from '../../main/core/accounts/account-store'
import { memorySecrets } from '../support/memory-secrets'
import { accountInput } from './account-fixture'

/**
 * A CA file path relative to wherever it was typed points elsewhere when the account is used by another process
 * or from another folder (found in a user walk: `account add --ca-file tls/ca.crt` worked only from that folder).
 * Core keeps full paths only; the CLI resolves what is typed on its command line before sending it.
 */
describe('an account’s CA certificate file', () => {
  const service = () =>
    createAccountService({
      store: createAccountStore(mkdtempSync(join(tmpdir(), 'obs-sync-ca-'))),
      secrets: memorySecrets(),
      connect: async () => {
        throw new Error('not connected in this test')
      },
      env: {},
    })
  const input = (caFile: string) => accountInput({ caFile })

  it('is refused when relative, with the reason, and nothing is added', async () => {
    const accounts = service()
    await expect(accounts.add(input('tls/ca.crt'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('full path'),
    })
    expect(await accounts.list()).toEqual([])
  })

  it('is kept as given when it is a full path', async () => {
    const added = await service().add(input('/etc/ssl/lab-ca.crt'))
    expect(added.caFile).toBe('/etc/ssl/lab-ca.crt')
  })
})
