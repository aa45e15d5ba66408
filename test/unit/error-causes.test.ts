// @vitest-environment happy-dom
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { toIpcError } from '../../main/core/errors'
import { awsKmsError } from '../../main/core/kms/aws-errors'
import { huaweiHttpError } from '../../main/core/kms/huawei-errors'
import { snapshotSource } from '../../main/core/storage/source-file'
import { createFolderPresence, createMissingFolderGuard } from '../../main/core/sync/folder-presence'
import { assertWatchableFolder } from '../../main/core/sync/watched-folder'
import { errorText } from '../../preload/contract/error-wording'
import type { IpcError } from '../../preload/contract/errors'
import en from '../../preload/contract/i18n/messages/en'
import { describeIpcError } from '../../renderer/src/errors'
import { setLocale } from '../../renderer/src/i18n'
import { inLocale, thrown } from './error-fixture'

afterEach(() => setLocale('en'))

describe('errors name what the user needs in every language (their params)', () => {
  it('KMS: the missing permission (Huawei and AWS) and the endpoint that refused the keys', () => {
    const forbidden = toIpcError(
      huaweiHttpError(
        { status: 403, headers: {}, body: '{"error":{"error_code":"KMS.0307","error_msg":"no permission"}}' },
        { endpoint: 'https://kms.eu-de.otc.t-systems.com', now: new Date() },
      ),
    )
    expect(inLocale('de', forbidden)).toContain('Er braucht die Berechtigung kms:cmk:list.')
    expect(inLocale('zh-CN', forbidden)).toContain('需要权限 kms:cmk:list')
    const aws = toIpcError(
      awsKmsError({ name: 'AccessDeniedException', message: 'denied' }, 'ListAliases', 'https://kms.aws'),
    )
    expect(inLocale('de', aws)).toContain('kms:ListAliases')
    const badKeys = toIpcError(
      huaweiHttpError(
        { status: 401, headers: {}, body: '{"error_code":"APIGW.0301","error_msg":"Incorrect IAM"}' },
        { endpoint: 'https://kms.eu-de.otc.t-systems.com', now: new Date() },
      ),
    )
    expect(inLocale('de', badKeys)).toBe(
      'KMS unter https://kms.eu-de.otc.t-systems.com hat den Zugriffsschlüssel oder den geheimen Schlüssel abgelehnt. Prüfen Sie beide in den Kontoeinstellungen.',
    )
    // The English sentence (the CLI's) is main's own, with the server's detail.
    expect(badKeys.message).toContain('(APIGW.0301: Incorrect IAM)')
  })

  it('uploads: the local file that is gone, unreadable or not a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'error-causes-'))
    try {
      const gone = await thrown(() => snapshotSource(join(dir, 'photo.jpg')))
      expect(gone.code).toBe('SOURCE_GONE')
      expect(inLocale('de', gone)).toBe(`„${join(dir, 'photo.jpg')}“ existiert nicht mehr.`)
      const folder = await thrown(() => snapshotSource(dir))
      expect(inLocale('zh-CN', folder)).toContain(`“${dir}”不会上传`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('watched folders: the folder that is missing, and the one that is not a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'error-causes-'))
    try {
      const missing = await thrown(() => assertWatchableFolder(join(dir, 'Fotos')))
      expect(inLocale('de', missing)).toBe(`Den Ordner ${join(dir, 'Fotos')} gibt es nicht (mehr).`)
      const warned: IpcError[] = []
      const guard = createMissingFolderGuard(join(dir, 'Fotos'), {
        warn: (_message, error) => warned.push(error),
        showMissing: () => {},
      })
      expect(guard.missing()).toBe(true)
      expect(inLocale('zh-CN', warned[0]!)).toContain(`监视的文件夹 ${join(dir, 'Fotos')} 不见了`)
      // The tray and notifications word it the same way (main's formatter).
      expect(errorText('de', warned[0]!)).toContain(`Der überwachte Ordner ${join(dir, 'Fotos')} fehlt`)
      expect(errorText('en', warned[0]!)).toBe(warned[0]!.message)
      expect(createFolderPresence(dir).missingReason()).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('every cause main names has its sentence', () => {
  const causesNamed = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/cause: '(\w+)'/g)])
      .map((match) => match[1] ?? '')

  it('each params.cause thrown in main/ is a key of errorCauses, and each key is thrown somewhere', () => {
    const named = new Set([...causesNamed('main'), 'folderMissing', 'folderNotFolder', 'folderUnmounted'])
    const sentences = new Set(Object.keys(en.errorCauses))
    expect([...named].filter((cause) => !sentences.has(cause))).toEqual([])
    expect([...sentences].filter((cause) => !named.has(cause))).toEqual([])
  })
})

describe('a problem group keeps which cause it is, without one file of it', () => {
  it("SOURCE_UNREADABLE of many files: the group's params keep the cause, not the first file's path", async () => {
    const { causeParams } = await import('../../main/core/queue/problem-cause')
    const params = JSON.stringify({ cause: 'permissionDenied', path: '/home/ana/a.jpg' })
    expect(causeParams(params, 'The file cannot be read: permission denied.')).toBe(
      JSON.stringify({ cause: 'permissionDenied' }),
    )
    // Without the path its sentence cannot be worded: the code's general one is.
    setLocale('de')
    expect(
      describeIpcError({
        code: 'SOURCE_UNREADABLE',
        message: 'The file cannot be read: permission denied.',
        params: { cause: 'permissionDenied' },
      }).message,
    ).toBe('Die lokale Datei kann nicht gelesen werden.')
  })
})
