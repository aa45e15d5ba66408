import type { Account } from '../../preload/contract/models'

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
