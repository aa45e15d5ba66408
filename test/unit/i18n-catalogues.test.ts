import { baseCompile } from '@intlify/message-compiler'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../preload/contract/errors'
import de from '../../preload/contract/i18n/messages/de'
import en from '../../preload/contract/i18n/messages/en'
import zhCN from '../../preload/contract/i18n/messages/zh-CN'

/**
 * The three catalogues are complete and consistent: the same keys, the same parameters, the same number of
 * plural forms, every message valid vue-i18n syntax (a stray "|" or "@" would silently change what is shown),
 * and a sentence for every error code the contract declares.
 */

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}

const catalogues = { en, 'zh-CN': zhCN, de } as Record<string, Tree>
const flat = Object.fromEntries(Object.entries(catalogues).map(([locale, tree]) => [locale, flatten(tree)]))
const english = flat.en as Map<string, string>

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => m[1] ?? '').sort()
}

function pluralForms(message: string): number {
  return message.split('|').length
}

describe('message catalogues', () => {
  it('English has messages (the checks below look at something)', () => {
    expect(english.size).toBeGreaterThan(100)
  })

  for (const locale of ['zh-CN', 'de']) {
    const other = flat[locale] as Map<string, string>

    it(`${locale} has every English key and no other`, () => {
      expect([...english.keys()].filter((key) => !other.has(key))).toEqual([])
      expect([...other.keys()].filter((key) => !english.has(key))).toEqual([])
    })

    it(`${locale} messages are translated where English has words`, () => {
      const empty = [...other.entries()].filter(([, text]) => text.trim() === '').map(([key]) => key)
      expect(empty).toEqual([])
    })

    it(`${locale} uses the same parameters and plural forms as English`, () => {
      const mismatches = [...english.entries()].flatMap(([key, source]) => {
        const target = other.get(key) ?? ''
        const problems: string[] = []
        if (placeholders(source).join() !== placeholders(target).join()) problems.push(`${key}: parameters`)
        if (pluralForms(source) !== pluralForms(target)) problems.push(`${key}: plural forms`)
        return problems
      })
      expect(mismatches).toEqual([])
    })
  }

  it('every message compiles (no stray |, @, { or })', () => {
    const broken: string[] = []
    for (const [locale, messages] of Object.entries(flat)) {
      for (const [key, message] of messages) {
        baseCompile(message, { onError: (error) => broken.push(`${locale} ${key}: ${error.message}`) })
      }
    }
    expect(broken).toEqual([])
  })

  it('every error code of the contract has a sentence in all three languages', () => {
    for (const messages of Object.values(flat)) {
      const missing = ERROR_CODES.filter((code) => !messages.get(`errors.${code}`)?.trim())
      expect(missing).toEqual([])
    }
  })

  it('named error sentences and hints belong to real error codes', () => {
    const codes = new Set<string>(ERROR_CODES)
    const stray = [...english.keys()]
      .filter((key) => key.startsWith('errorsNamed.') || key.startsWith('errorHints.'))
      .map((key) => key.split('.')[1] ?? '')
      .filter((code) => !codes.has(code) && code !== 'WINDOW')
    expect(stray).toEqual([])
  })

  it('the compile check catches a broken message (a probe)', () => {
    const errors: string[] = []
    baseCompile('Hello {name', { onError: (error) => errors.push(error.message) })
    expect(errors.length).toBeGreaterThan(0)
  })
})
