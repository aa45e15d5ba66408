// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import BrowserHeader from '../../renderer/src/components/browser/BrowserHeader.vue'
import { setLocale } from '../../renderer/src/i18n'
import { useAccountsStore } from '../../renderer/src/stores/accounts'
import { createFakeIpc, mountWithIpc, settle, storeHarness } from './renderer-fake-ipc'
import { account } from './renderer-fixtures'

describe('the browser header on the bucket list', () => {
  afterEach(() => {
    setLocale('en')
    document.body.innerHTML = ''
  })

  it.each([
    ['en', 'Buckets of Lab'],
    ['de', 'Buckets von Lab'],
  ] as const)(
    'names the account apart from "Buckets" (%s): a space, not two words run together',
    async (locale, text) => {
      setLocale(locale)
      const ipc = createFakeIpc()
      const { pinia } = storeHarness(ipc)
      const accounts = useAccountsStore()
      accounts.accounts = [account({ name: 'Lab' })]
      const { wrapper } = mountWithIpc(BrowserHeader, { ipc, pinia })
      await settle()
      expect(wrapper.get('[aria-current="location"]').text().replace(/\s+/g, ' ')).toBe(text)
    },
  )
})
