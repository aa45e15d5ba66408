import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'vue/compiler-sfc'

/**
 * Every word a user reads in the renderer comes from the message catalogues (preload/contract/i18n/messages), so it
 * exists in English, Chinese and German. This scans every .vue file: text in templates, the attributes a user
 * reads or hears (title, aria-label, placeholder, alt, label and our components' *-label / *-title props), string
 * literals inside template expressions, and sentence-like literals in <script>. Keys ('browser.title') are
 * allowed; words are not.
 */

const ROOT = join(import.meta.dirname, '../../renderer/src')

/** Files not converted yet, each with why (none left: the status bar moved to the catalogue with its causes). */
const PENDING: Record<string, string> = {}

/** Non-words that are the same in every language. */
const ALLOWED_TEXT = new Set([
  '·',
  '—',
  '…',
  '/',
  '×',
  '◆',
  '▲',
  '▼',
  '→',
  '←',
  '%',
  '(',
  ')',
  ':',
  'OBS Sync',
  'SHA-256',
])

const READ_ATTRIBUTES =
  /^(title|aria-label|aria-description|aria-roledescription|placeholder|alt|label|[a-z-]+-label|[a-z-]+-title|heading|hint|message|summary|description|note)$/

function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return vueFiles(path)
    return entry.name.endsWith('.vue') ? [path] : []
  })
}

function hasWords(text: string): boolean {
  const trimmed = text.trim()
  return trimmed !== '' && !ALLOWED_TEXT.has(trimmed) && /\p{L}{2,}/u.test(trimmed)
}

/** Keyboard key names compared with `event.key`, and the drag data type 'Files': identifiers, not words. */
const KEY_NAMES =
  /^(Files|Enter|Escape|Tab|Home|End|PageUp|PageDown|Arrow(Up|Down|Left|Right)|Backspace|Delete|ContextMenu|F\d+|Shift|Control|Alt|Meta)$/

/** A message key ('browser.title') or an identifier ('sse-obs'): not words. */
const KEY_LIKE = /^[\w-]+(\.[\w-]+)+$|^[a-z0-9]+(-[a-z0-9]+)*$/

function literalsOf(expression: string): string[] {
  const withoutKeys = expression.replace(/\b(?:\$t|t|te|countOf|tm)\(\s*(['"`])[^'"`]*\1/g, '')
  return [...withoutKeys.matchAll(/(['"`])((?:(?!\1).)*)\1/g)].map((m) =>
    (m[2] ?? '').replace(/\$\{[^}]*\}/g, ' '),
  )
}

/** A literal that reads as words: a capitalised word, two words, or Chinese. Keys, classes, ids do not. */
function isWordy(literal: string): boolean {
  if (ALLOWED_TEXT.has(literal.trim()) || KEY_NAMES.test(literal) || KEY_LIKE.test(literal)) return false
  return /(^|\s)\p{Lu}\p{Ll}|\p{L}{2,} +\p{L}{2,}|[\u4e00-\u9fff]/u.test(literal)
}

/** String literals in an expression that a user would read. On a read attribute (`:title`) any word counts. */
function wordyLiterals(expression: string, readAttribute = false): string[] {
  return literalsOf(expression).filter((literal) =>
    readAttribute ? hasWords(literal) && !KEY_LIKE.test(literal) : isWordy(literal),
  )
}

interface Finding {
  file: string
  line: number
  text: string
}

// biome-ignore lint/suspicious/noExplicitAny: the compiler's AST node union is wide; only a few fields are read.
function walk(node: any, file: string, out: Finding[]): void {
  const line = node.loc?.start?.line ?? 0
  if (node.type === 2 && hasWords(node.content)) out.push({ file, line, text: node.content.trim() })
  if (node.type === 5) {
    for (const text of wordyLiterals(node.content.content ?? '')) out.push({ file, line, text })
  }
  if (node.type === 1) {
    for (const prop of node.props ?? []) {
      if (prop.type === 6 && READ_ATTRIBUTES.test(prop.name) && prop.value && hasWords(prop.value.content)) {
        out.push({ file, line: prop.loc.start.line, text: `${prop.name}="${prop.value.content}"` })
      }
      if (prop.type === 7 && prop.exp?.content) {
        const read = prop.name === 'bind' && READ_ATTRIBUTES.test(prop.arg?.content ?? '')
        for (const text of wordyLiterals(prop.exp.content, read))
          out.push({ file, line: prop.loc.start.line, text })
      }
    }
  }
  for (const child of node.children ?? []) walk(child, file, out)
  for (const branch of node.branches ?? []) walk(branch, file, out)
}

/** Word-like literals in <script> ("Upload failed", 'Browser'). */
function scriptFindings(content: string, file: string, lineOffset: number): Finding[] {
  const out: Finding[] = []
  content.split('\n').forEach((source, index) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(source) || /console\.|import /.test(source)) return
    for (const literal of literalsOf(source)) {
      if (isWordy(literal)) out.push({ file, line: lineOffset + index, text: literal })
    }
  })
  return out
}

function findingsOf(path: string): Finding[] {
  const file = relative(ROOT, path)
  const { descriptor } = parse(readFileSync(path, 'utf8'), { filename: path })
  const out: Finding[] = []
  if (descriptor.template?.ast) walk(descriptor.template.ast, file, out)
  for (const block of [descriptor.script, descriptor.scriptSetup]) {
    if (block) out.push(...scriptFindings(block.content, file, block.loc.start.line))
  }
  return out
}

describe('user-visible text in .vue files', () => {
  const files = vueFiles(ROOT)

  it('finds the components (the scan looks at real files)', () => {
    expect(files.length).toBeGreaterThan(40)
  })

  it('every word a user reads in a template or script is a message key', () => {
    const findings = files
      .filter((path) => !(relative(ROOT, path) in PENDING))
      .flatMap(findingsOf)
      .map((f) => `${f.file}:${f.line}: ${f.text}`)
    expect(findings).toEqual([])
  })

  it('the scan catches plain words (a probe of its own rules)', () => {
    const probe: Finding[] = []
    const { descriptor } = parse(
      `<template><p title="Open it">Hello</p><b :aria-label="x ? 'Close dialog' : $t('a.b')">{{ t('k.e') }}·</b></template>`,
    )
    walk(descriptor.template?.ast, 'probe.vue', probe)
    expect(probe.map((f) => f.text)).toEqual(['title="Open it"', 'Hello', 'Close dialog'])
  })

  it('files still pending exist (the list shrinks as they are converted)', () => {
    for (const file of Object.keys(PENDING)) expect(files.map((path) => relative(ROOT, path))).toContain(file)
  })
})
