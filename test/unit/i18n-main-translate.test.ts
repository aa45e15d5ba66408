import { describe, expect, it } from 'vitest'
import { APP_LOCALES, CATALOGUES } from '../../preload/contract/i18n/locales'
import { translate } from '../../preload/contract/i18n/translate'
import { createAppI18n } from '../../renderer/src/i18n'

/**
 * Main (app menu, tray, notifications) and the CLI word things with the contract's small formatter, the window
 * with vue-i18n, over the same catalogues. Every message of every locale must come out the same from both, with
 * parameters and with counts that pick each plural form, so the tray can never say something the window does not.
 */
type Tree = { [key: string]: string | Tree }
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  )
}
const all = keys(CATALOGUES.en as unknown as Tree)
const params = (message: string) =>
  Object.fromEntries([...message.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => [m[1], `<${m[1]}>`]))

describe('the contract’s translate() renders every message as vue-i18n does', () => {
  it('covers the catalogue (the comparison below looks at something)', () => {
    expect(all.length).toBeGreaterThan(400)
    expect(all).toContain('desktop.tray.files')
  })

  for (const locale of APP_LOCALES) {
    it(`${locale}: same text with parameters, and for counts 0, 1, 2 and 7`, () => {
      const i18n = createAppI18n(locale).global
      const differences: string[] = []
      for (const key of all) {
        const source = String(i18n.tm(key))
        const named = params(typeof source === 'string' ? source : '')
        const cases: Array<[string, string]> = [[translate(locale, key, named), i18n.t(key, named)]]
        if (source.includes('|')) {
          for (const count of [0, 1, 2, 7]) {
            const { n: _n, count: _c, ...rest } = named
            cases.push([translate(locale, key, rest, count), i18n.t(key, rest, count)])
          }
        }
        for (const [ours, theirs] of cases)
          if (ours !== theirs) differences.push(`${key}: "${ours}" vs "${theirs}"`)
      }
      expect(differences).toEqual([])
    })
  }

  it('a key a locale lacks falls back to English, an unknown key to itself (as vue-i18n)', () => {
    expect(translate('de', 'no.such.key')).toBe('no.such.key')
    expect(translate('de', 'desktop.tray.files', {}, 3)).toBe('3 Dateien')
    expect(translate('zh-CN', 'desktop.tray.openFolder', { name: 'Photos' })).toBe('打开 Photos')
  })
})
