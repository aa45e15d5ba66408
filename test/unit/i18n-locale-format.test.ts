// @vitest-environment happy-dom

import { afterEach, describe, expect, it } from 'vitest'
import { splitProxyUrl } from '../../main/core/accounts/proxy-url'
import { normalizeEndpoint } from '../../main/core/accounts/validate-endpoint'
import { assertKmsKeyChosen } from '../../main/core/encryption/kms-key-required'
import { assertTransportAllows } from '../../main/core/encryption/resolve-encryption'
import { toIpcError } from '../../main/core/errors'
import { unknownDefaultReason } from '../../renderer/src/components/browser/encryption-labels'
import { describeIpcError } from '../../renderer/src/errors'
import {
  formatAgo,
  formatBytes,
  formatDate,
  formatDuration,
  formatNumber,
  formatRate,
} from '../../renderer/src/format'
import { currentLocale, setLocale } from '../../renderer/src/i18n'
import { type LocalePreference, pickLocale, resolveLocale } from '../../renderer/src/i18n/locale'
import { useLocaleStore } from '../../renderer/src/stores/locale'
import { createFakeIpc, settle, storeHarness } from './renderer-fake-ipc'

afterEach(() => {
  setLocale('en')
  localStorage.clear()
})

/** A window's store with main keeping the choice as settings.json does ('system' until one is set). */
function mainKeepingLocale() {
  const main = { stored: 'system' as LocalePreference, ipc: createFakeIpc() }
  main.ipc
    .answer('settings:locale', () => main.stored)
    .answer('settings:set-locale', (preference) => {
      main.stored = preference
      return null
    })
  storeHarness(main.ipc)
  return main
}

describe('the window language', () => {
  it('follows the first preferred language a catalogue covers', () => {
    expect(pickLocale(['de-AT', 'en-US'])).toBe('de')
    expect(pickLocale(['fr-FR', 'zh-TW', 'de'])).toBe('zh-CN')
    expect(pickLocale(['zh-Hans-CN'])).toBe('zh-CN')
    expect(pickLocale(['fr-FR', 'en-GB', 'de'])).toBe('en')
    expect(pickLocale(['fr', 'it'])).toBe('en')
    expect(pickLocale([])).toBe('en')
    expect(pickLocale(undefined)).toBe('en')
  })

  it('a chosen language wins over the system, is kept by main, and follows a choice made in another window', async () => {
    expect(resolveLocale('system', ['de-DE'])).toBe('de')
    expect(resolveLocale('zh-CN', ['de-DE'])).toBe('zh-CN')
    const main = mainKeepingLocale()
    const { ipc } = main
    const store = useLocaleStore()
    await settle()
    await store.set('de')
    expect(currentLocale()).toBe('de')
    expect(document.documentElement.getAttribute('lang')).toBe('de')
    // Kept by main, the one place the menu, the tray and the notifications read it from too.
    expect(ipc.callsTo('settings:set-locale')).toEqual([['de']])
    expect(localStorage.getItem('obs-sync.locale')).toBeNull()
    // A new window (a new store) gets main's stored choice.
    storeHarness(ipc)
    setLocale('en')
    const again = useLocaleStore()
    await settle()
    expect(again.preference).toBe('de')
    expect(currentLocale()).toBe('de')
    // Another window chose Chinese: this one follows.
    ipc.emit('settings:locale', 'zh-CN')
    expect(again.preference).toBe('zh-CN')
    expect(currentLocale()).toBe('zh-CN')
    await again.set('system')
    expect(main.stored).toBe('system')
    expect(currentLocale()).toBe(pickLocale(navigator.languages))
  })

  it('a language chosen before main kept it (localStorage) is carried over to main once, then removed', async () => {
    localStorage.setItem('obs-sync.locale', 'de')
    const main = mainKeepingLocale()
    const { ipc } = main
    const store = useLocaleStore()
    await settle()
    expect(ipc.callsTo('settings:set-locale')).toEqual([['de']])
    expect(main.stored).toBe('de')
    expect(store.preference).toBe('de')
    expect(currentLocale()).toBe('de')
    expect(localStorage.getItem('obs-sync.locale')).toBeNull()
    // Once: a later "follow the system" is not undone by the old choice at the next start.
    await store.set('system')
    storeHarness(ipc)
    useLocaleStore()
    await settle()
    expect(ipc.callsTo('settings:set-locale')).toEqual([['de'], ['system']])
    expect(main.stored).toBe('system')
  })

  it("main's own choice wins over an old localStorage one, which is dropped; a bad old value is dropped", async () => {
    for (const [old, stored] of [
      ['de', 'zh-CN'],
      ['klingon', 'system'],
    ] as const) {
      localStorage.setItem('obs-sync.locale', old)
      const ipc = createFakeIpc()
        .answer('settings:locale', () => stored)
        .answer('settings:set-locale', () => null)
      storeHarness(ipc)
      const store = useLocaleStore()
      await settle()
      expect(ipc.callsTo('settings:set-locale')).toEqual([])
      expect(store.preference).toBe(stored)
      expect(localStorage.getItem('obs-sync.locale')).toBeNull()
    }
  })

  it('main unreachable: an old localStorage choice still shows and is kept to carry over next time', async () => {
    localStorage.setItem('obs-sync.locale', 'zh-CN')
    storeHarness(createFakeIpc().answer('settings:locale', () => 'system'))
    const store = useLocaleStore()
    await settle()
    expect(store.preference).toBe('zh-CN')
    expect(currentLocale()).toBe('zh-CN')
    expect(localStorage.getItem('obs-sync.locale')).toBe('zh-CN')
  })

  it('main unreachable: the system language, and a choice still applies to the window', async () => {
    storeHarness(createFakeIpc())
    const store = useLocaleStore()
    await settle()
    expect(store.preference).toBe('system')
    await store.set('zh-CN')
    expect(currentLocale()).toBe('zh-CN')
  })
})

describe('numbers, sizes, durations and dates per locale (Intl)', () => {
  it('sizes and rates use the locale decimal separator and grouping', () => {
    expect(formatBytes(1536, 'en')).toBe('1.5 KB')
    expect(formatBytes(1536, 'de')).toBe('1,5 KB')
    expect(formatBytes(1536, 'zh-CN')).toBe('1.5 KB')
    expect(formatBytes(1023, 'de')).toBe('1.023 B')
    expect(formatRate(2.5 * 1024 * 1024, 'de')).toBe('2,5 MB/s')
    expect(formatNumber(12345, 'de')).toBe('12.345')
    expect(formatNumber(12345, 'en')).toBe('12,345')
  })

  it('durations name their units in the locale', () => {
    expect(formatDuration(75, 'en')).toBe('1 min 15 sec')
    expect(formatDuration(75, 'de')).toBe('1 Min., 15 Sek.')
    expect(formatDuration(75, 'zh-CN')).toBe('1分钟15秒')
    expect(formatDuration(4000, 'en')).toBe('1 hr 6 min')
    expect(formatDuration(undefined, 'de')).toBe('—')
  })

  it('dates follow the locale order; "ago" is relative in the locale', () => {
    const iso = '2026-03-04T05:06:00Z'
    expect(formatDate(iso, 'de')).toMatch(/^0?4\.03\.2026/)
    expect(formatDate(iso, 'zh-CN')).toMatch(/^2026年3月4日/)
    const now = Date.parse(iso) + 3 * 60_000
    expect(formatAgo(iso, now, 'de')).toBe('vor 3 Minuten')
    expect(formatAgo(iso, now, 'zh-CN')).toBe('3分钟前')
    setLocale('de')
    expect(formatAgo(undefined)).toBe('nie')
  })
})

describe('errors are worded in the window language', () => {
  const error = {
    code: 'KMS_KEY_DISABLED' as const,
    message: 'KMS key "k-1" is disabled, so objects encrypted with it cannot be written or read.',
    params: { kmsKey: 'k-1', bucket: 'b' },
  }

  it('German: the catalogue sentence naming the key, main’s English sentence as the detail', () => {
    setLocale('de')
    const shown = describeIpcError(error)
    expect(shown.message).toContain('Der KMS-Schlüssel „k-1“ ist deaktiviert')
    expect(shown.detail).toBe(error.message)
  })

  it('Chinese without parameters: the general sentence for the code', () => {
    setLocale('zh-CN')
    const shown = describeIpcError({ code: 'NO_SUCH_BUCKET', message: 'The bucket "x" does not exist.' })
    expect(shown.message).toBe('该桶不存在。')
    expect(shown.detail).toBe('The bucket "x" does not exist.')
    expect(describeIpcError({ code: 'NO_SUCH_BUCKET', message: '', params: { bucket: 'x' } }).message).toBe(
      '桶“x”不存在。',
    )
  })

  it('English: main’s own sentence; the catalogue only when main sent none', () => {
    expect(describeIpcError(error).message).toBe(error.message)
    expect(describeIpcError({ code: 'DISK_FULL', message: 'DISK_FULL' }).message).toBe('The disk is full.')
    expect(describeIpcError({ code: 'DISK_FULL', message: '' }).hint).toContain('Free some space')
  })
})

describe('core sentences that arrive as data are worded in the window language', () => {
  it('why a bucket’s default encryption is unknown: from its `why`, else main’s English sentence', () => {
    const noConfig = {
      state: 'unknown' as const,
      why: 'no-configuration' as const,
      reason: 'The server did not answer with an encryption configuration.',
    }
    setLocale('de')
    expect(unknownDefaultReason(noConfig)).toBe(
      'Der Server hat keine Verschlüsselungskonfiguration geliefert.',
    )
    setLocale('zh-CN')
    expect(
      unknownDefaultReason({ state: 'unknown', why: 'unknown-algorithm', algorithm: 'SM4', reason: 'x' }),
    ).toBe('服务器报告了未知的算法“SM4”。')
    expect(unknownDefaultReason({ state: 'unknown', reason: 'An older main said only this.' })).toBe(
      'An older main said only this.',
    )
    setLocale('en')
    expect(unknownDefaultReason(noConfig)).toBe(noConfig.reason)
  })
})

describe('core errors carry a code and parameters: account and encryption errors in the window language', () => {
  const caught = (run: () => unknown) => {
    try {
      run()
    } catch (error) {
      return toIpcError(error)
    }
    throw new Error('expected a refusal')
  }

  it('endpoint and proxy rules (INVALID_ARGUMENT names its rule), in German and Chinese; English stays main’s', () => {
    const path = caught(() => normalizeEndpoint('https://obs.example.com/bucket'))
    const scheme = caught(() => normalizeEndpoint('ftp://obs.example.com'))
    const proxy = caught(() => splitProxyUrl('socks://p:1'))
    expect(path).toMatchObject({ code: 'INVALID_ARGUMENT', params: { rule: 'endpointPath' } })
    setLocale('de')
    expect(describeIpcError(path).message).toBe(
      'Der Endpunkt ist nur eine Serveradresse, ohne Pfad oder Bucket-Namen.',
    )
    // The rule's sentence translates main's whole sentence: no English detail under it.
    expect(describeIpcError(path).detail).toBeUndefined()
    expect(describeIpcError(proxy).message).toBe(
      'Der Proxy muss eine Adresse wie http://proxy.example:3128 sein.',
    )
    setLocale('zh-CN')
    expect(describeIpcError(scheme).message).toBe(
      '终端节点必须以 https:// 开头（本地测试服务器可用 http://）。',
    )
    setLocale('en')
    expect(describeIpcError(path).message).toBe(
      'The endpoint is a server address only, without a path or bucket name.',
    )
  })

  it('HTTPS required and no default KMS key name the endpoint and the provider', () => {
    const https = caught(() => assertTransportAllows({ mode: 'sse-kms', keyId: 'k' }, 'http://rgw.lab:7480'))
    const keyless = caught(() => assertKmsKeyChosen({ mode: 'sse-kms' }, { provider: 'ceph-rgw' }))
    setLocale('de')
    expect(describeIpcError(https).message).toContain('http://rgw.lab:7480 ist unverschlüsseltes HTTP')
    expect(describeIpcError(keyless).message).toMatch(/^Ceph RADOS Gateway hat keinen Standard-KMS-Schlüssel/)
  })
})
