// Finding #13 (Low), the part done here: shell.openExternal was allowed for any https URL. It is now restricted
// to the KMS console hosts of the provider presets and the project's documentation, checked where every link,
// navigation and window.open of any web contents ends up (navigation-guard.ts -> isSafeExternalUrl).
import { describe, expect, it } from 'vitest'
import { PROVIDER_PRESETS } from '../../main/core/accounts/providers'
import { isSafeExternalUrl } from '../../main/electron/external-links'

describe('#13 openExternal opens only the presets’ consoles and the project’s docs', () => {
  it('every preset’s KMS console link, filled in for a region, may be opened', () => {
    const consoles = Object.values(PROVIDER_PRESETS).flatMap((p) =>
      p.kmsConsoleTemplate ? [p.kmsConsoleTemplate] : [],
    )
    expect(consoles.length).toBeGreaterThanOrEqual(3)
    for (const template of consoles) {
      const url = template.replaceAll('{region}', 'eu-de')
      expect(isSafeExternalUrl(url), url).toBe(true)
    }
    expect(isSafeExternalUrl('https://obs-sync.invalid/docs/security')).toBe(true)
  })

  it.each([
    'https://evil.example.com/',
    'https://console.huaweicloud.com.evil.example/',
    'https://evil.example/?to=https://console.huaweicloud.com/',
    'https://a.b.console.aws.amazon.com/',
    'https://xn--console-huaweicloud.com/',
    'https://console.huaweicloud.com@evil.example/',
    'http://console.huaweicloud.com/',
    'https://docs.example.org/obs-sync',
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false)
  })
})
