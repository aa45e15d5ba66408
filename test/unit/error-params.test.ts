// @vitest-environment happy-dom
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createAccountStore } from '../../main/core/accounts/account-store'
import { withPresetDefaults } from '../../main/core/accounts/providers'
import { keychainError } from '../../main/core/credentials/keytar-store'
import { createDropInbox } from '../../main/core/drops/drop-inbox'
import { createCustomerKeys, parseCustomerKey } from '../../main/core/encryption/customer-keys'
import { awsKmsError } from '../../main/core/kms/aws-errors'
import { createFolderBrowser } from '../../main/core/local/folder-browser'
import { removeBucketEncryption } from '../../main/core/storage/bucket-encryption-change'
import { folderKey } from '../../main/core/storage/create-folder'
import { deleteObjects } from '../../main/core/storage/delete-objects'
import { restoreObject } from '../../main/core/storage/restore-object'
import type { ControlConnection } from '../../main/core/storage/s3-client'
import { assertAbsoluteTarget, safeLocalPath } from '../../main/core/storage/safe-path'
import { createShareLink } from '../../main/core/storage/share-link'
import { resolveStorageClass } from '../../main/core/storage/storage-classes'
import { deletionAllowed } from '../../main/core/sync/mirror-guard'
import { createPairStore } from '../../main/core/sync/pair-store'
import { trustedCertificates } from '../../main/core/trusted-ca'
import { errorSentenceKey } from '../../preload/contract/error-wording'
import type { IpcError } from '../../preload/contract/errors'
import en from '../../preload/contract/i18n/messages/en'
import { translate } from '../../preload/contract/i18n/translate'
import type { SyncPairInput } from '../../preload/contract/sync-models'
import { setLocale } from '../../renderer/src/i18n'
import { memorySecrets } from '../support/memory-secrets'
import { inLocale, thrown } from './error-fixture'

/**
 * Every error a user can meet names what went wrong (the file, the bucket, the key, the limit) in German and
 * Chinese too: main sends the names as params with a catalogue sentence (a rule, a cause or the code's named
 * sentence), and the CLI keeps main's English sentence. The last block guards the throw sites themselves.
 */

const dir = mkdtempSync(join(tmpdir(), 'error-params-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => setLocale('en'))

/**
 * The window words the error with its own sentence, not the code's general one, in de and zh-CN, and that
 * sentence names every value main sent; a rule's sentence (shown in English windows too) is main's English.
 */
function expectNamedEverywhere(error: IpcError): void {
  const { key } = errorSentenceKey(error.code, error.params)
  expect(key, `${error.code}: ${error.message}`).not.toBe(`errors.${error.code}`)
  const names = Object.entries(error.params ?? {}).filter(([name]) => name !== 'cause' && name !== 'rule')
  for (const locale of ['de', 'zh-CN'] as const) {
    const text = inLocale(locale, error)
    expect(text).not.toBe(translate(locale, `errors.${error.code}`))
    // Numbers as the language writes them (4.096 in German).
    for (const [, value] of names)
      expect(text).toContain(typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value)
  }
  if (key.startsWith('errorRules.')) expect(inLocale('en', error)).toBe(error.message)
}

describe('mirror deletions held by the safety cap name their counts', () => {
  it('DELETIONS_HELD carries how many, of how many, the share and the cap', () => {
    const { refusal } = deletionAllowed(5, 9, 50, false)
    expect(refusal).toEqual({
      code: 'DELETIONS_HELD',
      // The CLI's sentence, as before.
      message:
        'Refusing to delete 5 of 9 remote files (56%, more than the 50% safety cap) in one pass. Confirm the deletion to go ahead.',
      params: { deletions: 5, tracked: 9, percent: 56, cap: 50 },
    })
    expect(inLocale('de', refusal!)).toBe(
      'Das Löschen von 5 der 9 entfernten Dateien in einem Durchlauf (56 %) überschreitet die Sicherheitsgrenze von 50 % und wird zurückgehalten. Bestätigen Sie die Löschung, um fortzufahren.',
    )
    expect(inLocale('zh-CN', refusal!)).toBe(
      '在一轮中删除 9 个远端文件中的 5 个（56%）超过了 50% 的安全上限，删除已暂缓。请确认删除后再继续。',
    )
    expect(deletionAllowed(4, 9, 50, false).refusal).toBeUndefined()
    expect(deletionAllowed(5, 9, 50, true).refusal).toBeUndefined()
  })
})

describe('refused input names the rule it breaks', () => {
  it('folder names, SSE-C keys, storage classes, share links, restores, target folders, endpoints', async () => {
    const refused = await Promise.all([
      thrown(() => folderKey('', '  ')),
      thrown(() => folderKey('', 'a/b')),
      thrown(() => folderKey('photos/', '..')),
      thrown(() => folderKey('', 'tab\there')),
      thrown(() => folderKey('x'.repeat(1030), 'y')),
      thrown(() => parseCustomerKey('not base64!')),
      thrown(() => parseCustomerKey(Buffer.alloc(16).toString('base64'))),
      thrown(() => createCustomerKeys(memorySecrets()).create('acc', 'no/slashes')),
      thrown(() => resolveStorageClass('huawei-obs', 'FROZEN')),
      thrown(() => resolveStorageClass('ceph-rgw', 'kalt+warm')),
      thrown(() => createShareLink({} as S3Client, 'b', 'k', 30)),
      thrown(() => restoreObject({} as S3Client, { bucket: 'b', key: 'k', days: 31, dialect: 's3' })),
      thrown(() =>
        restoreObject({} as S3Client, { bucket: 'b', key: 'k', days: 3, tier: 'bulk', dialect: 'obs' }),
      ),
      thrown(() => deleteObjects({} as ControlConnection, 'b', { keys: [], prefixes: ['photos'] }, () => {})),
      thrown(() => assertAbsoluteTarget('Downloads/new')),
      thrown(() => createFolderBrowser(dir).list('relative/path')),
      thrown(() =>
        withPresetDefaults({
          name: 'lab',
          provider: 'ceph-rgw',
          accessKeyId: 'AKID',
          secretAccessKey: 'SECRET-KEY',
        }),
      ),
      thrown(() =>
        createDropInbox({ dir, enqueue: async () => ({ jobIds: [] }) as never }).receive(
          { accountId: 'a', bucket: 'b', prefix: '', name: 'a\\b.txt', size: 1 },
          Readable.from([Buffer.from('x')]),
        ),
      ),
    ])
    for (const error of refused) {
      expect(error.code).toBe('INVALID_ARGUMENT')
      expect(typeof error.params?.rule).toBe('string')
      expectNamedEverywhere(error)
    }
    expect(inLocale('de', refused[2]!)).toBe('„..“ kann kein Ordnername sein.')
    expect(inLocale('zh-CN', refused[6]!)).toBe(
      'SSE-C 密钥为 256 位（32 字节，44 个 Base64 字符）；此密钥为 16 字节。',
    )
    expect(inLocale('de', refused[16]!)).toBe('Für Ceph RADOS Gateway ist ein Endpunkt erforderlich.')
  })
})

describe('a download refused for an unsafe name says why, in every language', () => {
  it('each reason safe-path.ts names has its sentence, with the segment or limit it is about', async () => {
    const keys = [
      'a/../b',
      'a//b',
      'docs/CON.txt',
      'notes. /a.txt',
      'notes:b.txt',
      'cod\u202egpj.exe',
      'x'.repeat(300),
      'folder/',
      'tab\u0001.txt',
      '/etc/passwd',
      Array.from({ length: 20 }, () => 'y'.repeat(250)).join('/'),
    ]
    const refused = await Promise.all(keys.map((key) => thrown(() => safeLocalPath(dir, key))))
    for (const error of refused) {
      expect(error.code).toBe('UNSAFE_PATH')
      expect(errorSentenceKey(error.code, error.params).key).toMatch(/^errorCauses\.unsafe/)
      expectNamedEverywhere(error)
    }
    expect(new Set(refused.map((e) => e.params?.cause)).size).toBe(keys.length)
    expect(inLocale('de', refused[2]!)).toBe(
      'Das Objekt „docs/CON.txt“ kann nicht sicher gespeichert werden: „CON.txt“ ist unter Windows ein reservierter Dateiname. Es wurde nichts geschrieben.',
    )
    expect(inLocale('zh-CN', refused[6]!)).toContain('超过了文件系统允许的 255 字节')
    expect(inLocale('de', refused[10]!)).toContain('länger als die 4.096 Bytes')
    expect(inLocale('zh-CN', refused[10]!)).toContain('4,096')
  })
})

describe('failures name the file, folder, bucket, key or account they are about', () => {
  it('keychain, CA file, KMS clock, bucket encryption, object paths, dropped files', async () => {
    const inbox = createDropInbox({ dir: join(dir, 'drops'), enqueue: async () => ({ jobIds: [] }) as never })
    const drop = { accountId: 'a', bucket: 'b', prefix: '', name: 'Bericht.pdf' }
    const failures = await Promise.all([
      thrown(() => {
        throw keychainError(new Error('Cannot create an item in a locked collection'))
      }),
      thrown(() => {
        throw keychainError(new Error('The name org.freedesktop.secrets was not provided'))
      }),
      thrown(() => trustedCertificates(join(dir, 'no-such-ca.pem'))),
      thrown(() => {
        throw awsKmsError(
          { name: 'InvalidSignatureException', message: 'Signature expired: 20260101T000000Z' },
          'ListKeys',
          'https://kms.eu-central-1.amazonaws.com',
        )
      }),
      thrown(() =>
        removeBucketEncryption({} as S3Client, { provider: 'ceph-rgw', projectId: undefined }, 'b'),
      ),
      thrown(() => safeLocalPath(dir, 'reports/../../etc/passwd')),
      thrown(() => inbox.receive({ ...drop, size: 10 }, Readable.from([Buffer.from('12345')]))),
      thrown(() => inbox.receive({ ...drop, size: 3 }, Readable.from([Buffer.from('12345')]))),
    ])
    expect(failures.map((f) => f.code)).toEqual([
      'KEYCHAIN_LOCKED',
      'KEYCHAIN_UNAVAILABLE',
      'TLS_FAILURE',
      'CLOCK_SKEW',
      'NOT_SUPPORTED',
      'UNSAFE_PATH',
      'SOURCE_CHANGED',
      'INVALID_ARGUMENT',
    ])
    for (const error of failures) expectNamedEverywhere(error)
    expect(inLocale('de', failures[6]!)).toBe(
      '„Bericht.pdf“ kam unvollständig an (5 von 10 Bytes). Legen Sie die Datei erneut ab.',
    )
    expect(inLocale('zh-CN', failures[4]!)).toBe(
      '此服务器（Ceph RADOS Gateway）不支持删除桶的默认加密。请在服务器自己的控制台或工具中删除。',
    )
  })

  it('damaged data files, watched folders and the folder picker', async () => {
    const data = join(dir, 'data')
    mkdirSync(data, { recursive: true })
    writeFileSync(join(data, 'accounts.json'), '{"version": 1, "accounts": "damaged"}')
    writeFileSync(join(data, 'sync-pairs.json'), '{"version": 1, "pairs": [{"id": 7}]}')
    const watched = join(dir, 'watched')
    mkdirSync(watched, { recursive: true })
    const fresh = join(dir, 'fresh')
    mkdirSync(fresh, { recursive: true })
    const pairs = createPairStore(fresh)
    const pairInput: SyncPairInput = {
      accountId: 'a',
      localPath: watched,
      bucket: 'b',
      prefix: '',
      mode: 'upload-only',
      mirrorDeleteCapPercent: 50,
    }
    await pairs.add(pairInput)
    const failures = await Promise.all([
      thrown(() => createAccountStore(data).list()),
      thrown(() => createPairStore(data).list()),
      thrown(() => pairs.get('no-such-pair')),
      thrown(() => pairs.add(pairInput)),
      thrown(() => createFolderBrowser(join(dir, 'no-root')).list()),
      thrown(() => createFolderBrowser(watched).list(join(watched, 'gone'))),
      thrown(() => createFolderBrowser(watched).list(dir)),
    ])
    expect(failures.map((f) => f.code)).toEqual([
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'NOT_FOUND',
      'INVALID_ARGUMENT',
      'NOT_FOUND',
      'NOT_FOUND',
      'UNSAFE_PATH',
    ])
    for (const error of failures) expectNamedEverywhere(error)
    expect(inLocale('de', failures[0]!)).toBe(
      `Die Datei ${join(data, 'accounts.json')} ist beschädigt; reparieren oder entfernen Sie sie.`,
    )
    expect(inLocale('zh-CN', failures[3]!)).toBe(`${watched} 已经在监视中，并同步到该桶和文件夹。`)
  })
})

/** A `new AppError(` call in main/, its arguments as one line. */
interface ThrowSite {
  file: string
  call: string
}

function throwSites(root: string): ThrowSite[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const source = readFileSync(join(root, file), 'utf8')
      return [...source.matchAll(/new AppError\(/g)].map((match) => ({
        file: join(root, file),
        call: callText(source, (match.index ?? 0) + match[0].length),
      }))
    })
}

/** The text up to the call's closing parenthesis (strings may hold brackets). */
function callText(source: string, start: number): string {
  let depth = 1
  let i = start
  while (depth > 0 && i < source.length) {
    const c = source[i] ?? ''
    if ('([{'.includes(c)) depth++
    else if (')]}'.includes(c)) depth--
    else if (`'"\``.includes(c)) {
      i++
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1
    }
    i++
  }
  return source.slice(start, i - 1).replace(/\s+/g, ' ')
}

/**
 * The throw sites that may give no params, each with why: none of them reaches a window (the CLI prints main's
 * English, which stays), or the code's general sentence already says all there is. Anything else must give
 * params, so a de/zh-CN reader learns what went wrong, not only which kind of thing.
 */
const WITHOUT_PARAMS: { file: string; call: string; why: string }[] = [
  {
    file: 'main/server/web-server.ts',
    call: 'OBS_SYNC_WEB_TOKEN must have',
    why: '`obs-sync serve` refuses a short token before any window exists: only the CLI prints it',
  },
  { file: 'main/cli/read-secret.ts', call: 'No terminal to ask', why: 'the CLI asking for a secret' },
  { file: 'main/cli/read-secret.ts', call: "'Cancelled.'", why: 'the CLI asking for a secret' },
  {
    file: 'main/core/accounts/find-account.ts',
    call: 'No account yet',
    why: "accounts:find serves the CLI's --account (no window calls it); its sentences name CLI commands",
  },
  {
    file: 'main/core/queue/job-pages.ts',
    call: 'not a page cursor',
    why: 'a window only sends back the cursors the queue gave it: only a hand-made cursor reaches this',
  },
  {
    file: 'main/core/queue/problem-groups.ts',
    call: 'not a problem of the queue',
    why: 'a window only sends back the group ids the queue gave it: only a hand-made id reaches this',
  },
  {
    file: 'main/core/queue/queue-scheduler.ts',
    call: "'CANCELLED', STOP_MESSAGES",
    why: "a running upload's abort reason: apply-failure.ts makes the stop the job's state; it is never shown",
  },
  {
    file: 'main/core/queue/queue-owner.ts',
    call: "'QUEUE_IN_USE'",
    why: 'it names nothing: errors.QUEUE_IN_USE and errorHints.QUEUE_IN_USE say all of it in every language',
  },
  {
    file: 'main/core/storage/create-bucket.ts',
    call: 'cannot be a bucket name',
    why: "the new-bucket dialog checks the same rules (bucketNameProblem) in the window's language and sends nothing while one is broken",
  },
  {
    file: 'main/core/encryption/sse-headers.ts',
    call: 'must be exactly 256 bits',
    why: 'keys are checked by parseCustomerKey (with params) before they are stored; only a keychain entry edited by hand is not 32 bytes',
  },
]

describe('every throw site a user can reach gives params', () => {
  const sites = throwSites('main')

  it('the scan finds the throw sites (the checks below look at something)', () => {
    expect(sites.length).toBeGreaterThan(100)
    expect(sites.filter((s) => s.call.includes('params')).length).toBeGreaterThan(90)
  })

  it('a site without params is one of the justified exceptions, and each exception still exists', () => {
    const allowed = (site: ThrowSite) =>
      WITHOUT_PARAMS.some((entry) => entry.file === site.file && site.call.includes(entry.call))
    const bare = sites.filter((site) => !site.call.includes('params'))
    expect(bare.filter((site) => !allowed(site))).toEqual([])
    const stale = WITHOUT_PARAMS.filter(
      (entry) => bare.filter((s) => s.file === entry.file && s.call.includes(entry.call)).length !== 1,
    )
    expect(stale).toEqual([])
  })

  it("each params.rule named in main/ has its sentence (errorRules), and each rule's sentence is named", () => {
    const named = new Set(
      readdirSync('main', { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .flatMap((file) => [...readFileSync(join('main', file), 'utf8').matchAll(/rule: '(\w+)'/g)])
        .map((match) => match[1] ?? ''),
    )
    const sentences = new Set(Object.keys(en.errorRules))
    expect([...named].filter((rule) => !sentences.has(rule))).toEqual([])
    expect([...sentences].filter((rule) => !named.has(rule))).toEqual([])
  })
})
