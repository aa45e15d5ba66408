import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAccountStore, type NewAccount } from '../../main/core/accounts/account-store'
import type { Account } from '../../preload/contract/models'

const input: NewAccount = {
  name: 'work',
  provider: 'otc-obs',
  endpoint: 'https://obs.eu-de.otc.t-systems.com',
  region: 'eu-de',
  addressing: 'virtual-hosted',
  accessKeyId: 'AKIAEXAMPLE',
}

async function freshDir() {
  return mkdtemp(join(tmpdir(), 'obs-sync-accounts-'))
}

describe('account store', () => {
  it('starts empty, adds, lists, updates and removes, telling listeners each time', async () => {
    const dir = await freshDir()
    const seen: Account[][] = []
    const store = createAccountStore(dir, (list) => seen.push(list))
    expect(await store.list()).toEqual([])
    const added = await store.add(input)
    expect(added.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(await store.list()).toEqual([added])
    const renamed = await store.update(added.id, { name: 'home' })
    expect(renamed.name).toBe('home')
    expect((await store.get('home')).id).toBe(added.id)
    await store.remove(added.id)
    expect(await store.list()).toEqual([])
    expect(seen.map((list) => list.map((a) => a.name))).toEqual([['work'], ['home'], []])
  })

  it('survives a restart: a second store on the same folder sees the accounts', async () => {
    const dir = await freshDir()
    await createAccountStore(dir).add(input)
    expect((await createAccountStore(dir).list()).map((a) => a.name)).toEqual(['work'])
  })

  it('refuses a duplicate name and names an unknown account', async () => {
    const store = createAccountStore(await freshDir())
    await store.add(input)
    await expect(store.add(input)).rejects.toMatchObject({ code: 'ACCOUNT_EXISTS' })
    await expect(store.get('nobody')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' })
  })

  it('writes no secret to the file, which is readable by its owner only', async () => {
    const dir = await freshDir()
    await createAccountStore(dir).add({ ...input, secretAccessKey: 'wJalrXUtnFEMI' } as NewAccount)
    const text = await readFile(join(dir, 'accounts.json'), 'utf8')
    expect(text).toContain('AKIAEXAMPLE')
    expect(text).not.toContain('wJalrXUtnFEMI')
    const { statSync } = await import('node:fs')
    expect(statSync(join(dir, 'accounts.json')).mode & 0o777).toBe(0o600)
  })

  it('says which file is damaged instead of crashing or overwriting it', async () => {
    const dir = await freshDir()
    await writeFile(join(dir, 'accounts.json'), '{"version":1,"accounts":[{"oops":1}]}')
    await expect(createAccountStore(dir).list()).rejects.toThrow(/accounts file .* is damaged/)
    // Not JSON at all (cut short by a full disk, a bad hand edit): the same, not "something went wrong".
    await writeFile(join(dir, 'accounts.json'), '{"version":1,"accou')
    await expect(createAccountStore(dir).list()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      params: { cause: 'fileDamaged', file: join(dir, 'accounts.json') },
    })
    expect(await readFile(join(dir, 'accounts.json'), 'utf8')).toBe('{"version":1,"accou')
  })
})
