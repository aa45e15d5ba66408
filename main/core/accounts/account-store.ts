import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { z } from 'zod'
import { type Account, accountSchema } from '../../../preload/contract/models'
import { AppError } from '../errors'
import { readJsonFile, writeJsonFileAtomic } from '../json-file'

/** The accounts file: settings only. Secrets live in the keychain (see credentials/). */
const accountsFileSchema = z.object({ version: z.literal(1), accounts: z.array(accountSchema) })

export type NewAccount = Omit<Account, 'id'>

export interface AccountStore {
  list(): Promise<Account[]>
  get(id: string): Promise<Account>
  /** Adds an account; `id` lets the caller store its secrets under that id first. */
  add(account: NewAccount, id?: string): Promise<Account>
  update(id: string, changes: Partial<NewAccount>): Promise<Account>
  remove(id: string): Promise<void>
}

export function createAccountStore(
  dataDir: string,
  onChange: (accounts: Account[]) => void = () => {},
): AccountStore {
  const file = join(dataDir, 'accounts.json')

  async function load(): Promise<Account[]> {
    const raw = await readJsonFile(file, { version: 1, accounts: [] })
    const parsed = accountsFileSchema.safeParse(raw)
    if (!parsed.success) {
      throw new AppError('INVALID_ARGUMENT', `The accounts file ${file} is damaged; fix or remove it.`, {
        params: { cause: 'fileDamaged', file },
      })
    }
    return parsed.data.accounts
  }

  async function save(accounts: Account[]): Promise<void> {
    await writeJsonFileAtomic(file, { version: 1, accounts })
    onChange(accounts)
  }

  function assertUniqueName(accounts: Account[], name: string, exceptId?: string): void {
    if (accounts.some((a) => a.name === name && a.id !== exceptId)) {
      throw new AppError('ACCOUNT_EXISTS', `An account named "${name}" already exists.`, { params: { name } })
    }
  }

  async function get(id: string): Promise<Account> {
    const account = (await load()).find((a) => a.id === id || a.name === id)
    if (!account)
      throw new AppError('ACCOUNT_NOT_FOUND', `There is no account "${id}".`, { params: { account: id } })
    return account
  }

  return {
    list: load,
    get,
    async add(input, id = randomUUID()) {
      const accounts = await load()
      assertUniqueName(accounts, input.name)
      const account = accountSchema.parse({ ...input, id })
      await save([...accounts, account])
      return account
    },
    async update(id, changes) {
      const accounts = await load()
      const current = await get(id)
      if (changes.name !== undefined) assertUniqueName(accounts, changes.name, current.id)
      const updated = accountSchema.parse({ ...current, ...changes, id: current.id })
      await save(accounts.map((a) => (a.id === current.id ? updated : a)))
      return updated
    },
    async remove(id) {
      const current = await get(id)
      await save((await load()).filter((a) => a.id !== current.id))
    },
  }
}
