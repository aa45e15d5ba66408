import type { Account, AccountInput } from '../../preload/contract/models'

/** An account as the contract carries it (an OTC OBS account in eu-de unless overridden), for any unit test. */
export function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 'acc-1',
    name: 'Work OBS',
    provider: 'otc-obs',
    endpoint: 'https://obs.eu-de.otc.t-systems.com',
    region: 'eu-de',
    addressing: 'virtual-hosted',
    accessKeyId: 'AKIAEXAMPLE',
    ...overrides,
  }
}

/** What accounts:add takes for a Ceph RGW account named "lab" (secret included), for tests of the account service. */
export function accountInput(overrides: Partial<AccountInput> = {}): AccountInput {
  return {
    name: 'lab',
    provider: 'ceph-rgw',
    endpoint: 'https://rgw.example:7480',
    region: '',
    addressing: 'path',
    accessKeyId: 'AKID',
    secretAccessKey: 'SECRET-KEY',
    ...overrides,
  }
}
