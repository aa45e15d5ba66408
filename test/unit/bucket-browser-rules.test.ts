import { describe, expect, it } from 'vitest'
import { bucketLocation } from '../../main/core/storage/create-bucket'
import { folderKey } from '../../main/core/storage/create-folder'
import { bucketNameProblem } from '../../preload/contract/bucket-names'
import { deletionQuestion, versioningNote } from '../../preload/contract/deletion-summary'

describe('bucket names are checked with the provider rules before anything is sent', () => {
  it.each([
    ['ab', 'huawei-obs', '3 to 63'],
    ['a'.repeat(64), 'aws-s3', '3 to 63'],
    ['My-Bucket', 'otc-obs', 'only lowercase'],
    ['my_bucket', 'minio', 'only lowercase'],
    ['-bucket', 'ceph-rgw', 'starts and ends'],
    ['bucket.', 'custom-s3', 'starts and ends'],
    ['my..bucket', 'aws-s3', 'two periods'],
    ['192.168.1.10', 'otc-obs', 'IP address'],
    ['my-.bucket', 'otc-obs', 'next to a hyphen'],
    ['my.-bucket', 'huawei-obs', 'next to a hyphen'],
    ['xn--bucket', 'aws-s3', 'reserves'],
    ['data-s3alias', 'aws-s3', 'reserves'],
  ] as const)('"%s" on %s: %s', (name, provider, problem) => {
    expect(bucketNameProblem(name, provider)).toContain(problem)
  })

  it.each([
    ['photos-2026', 'otc-obs'],
    ['my.bucket.eu', 'huawei-obs'],
    ['my-.bucket', 'aws-s3'],
    ['xn--bucket', 'ceph-rgw'],
    ['abc', 'minio'],
  ] as const)('"%s" is fine on %s', (name, provider) => {
    expect(bucketNameProblem(name, provider)).toBeUndefined()
  })

  it("sends the account's region as location, except where the provider refuses it", () => {
    expect(bucketLocation({ provider: 'otc-obs', region: 'eu-de' })).toBe('eu-de')
    expect(bucketLocation({ provider: 'aws-s3', region: 'us-east-1' })).toBeUndefined()
    expect(bucketLocation({ provider: 'aws-s3', region: 'eu-central-1' })).toBe('eu-central-1')
    expect(bucketLocation({ provider: 'ceph-rgw', region: 'us-east-1' })).toBeUndefined()
  })
})

describe('folder names', () => {
  it('makes prefix/name/ and refuses what cannot be one folder', () => {
    expect(folderKey('', 'photos')).toBe('photos/')
    expect(folderKey('a/b/', ' 2026 ')).toBe('a/b/2026/')
    expect(folderKey('a/b', 'c')).toBe('a/b/c/')
    for (const bad of ['', '  ', 'a/b', '.', '..', 'tab\there']) {
      expect(() => folderKey('x/', bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    }
  })
})

describe('the delete confirmation names what goes', () => {
  /** A deletion plan of loose objects and folders (prefix -> its object count, in this order). */
  const plan = (objectCount: number, folders: Record<string, number>, versioning = 'disabled' as const) => ({
    objectCount,
    folders: Object.entries(folders).map(([prefix, n]) => ({ prefix, objectCount: n })),
    total: objectCount + Object.values(folders).reduce((s, n) => s + n, 0),
    versioning,
  })

  it('objects and folders with their object counts', () => {
    expect(deletionQuestion(plan(3, { 'photos/': 1204 }), 'b')).toBe(
      'Delete 3 objects and the folder photos/ (1,204 objects) from "b"?',
    )
    expect(deletionQuestion(plan(1, {}), 'b')).toBe('Delete 1 object from "b"?')
    expect(deletionQuestion(plan(0, { 'a/': 1, 'b/': 2 }), 'b')).toBe(
      'Delete the folders a/ (1 object) and b/ (2 objects) from "b"?',
    )
    expect(deletionQuestion(plan(0, { 'a/': 1, 'b/': 2, 'c/': 3, 'd/': 4 }), 'b')).toBe(
      'Delete 4 folders (10 objects) from "b"?',
    )
  })

  it('in the window’s language: German and Chinese from the catalogue (the CLI keeps the English above)', () => {
    const mixed = plan(3, { 'photos/': 1204 })
    expect(deletionQuestion(mixed, 'b', 'de')).toBe(
      '3 Objekte und den Ordner photos/ (1.204 Objekte) aus „b“ löschen?',
    )
    expect(deletionQuestion(mixed, 'b', 'zh-CN')).toBe(
      '从“b”中删除3 个对象和文件夹 photos/（1,204 个对象）？',
    )
    expect(deletionQuestion(plan(1, {}), 'b', 'de')).toBe('1 Objekt aus „b“ löschen?')
    expect(deletionQuestion(plan(0, { 'a/': 1, 'b/': 2, 'c/': 3 }), 'b', 'zh-CN')).toBe(
      '从“b”中删除文件夹 a/（1 个对象）、b/（2 个对象） 和 c/（3 个对象）？',
    )
    expect(versioningNote('enabled', 'de')).toContain('Löschmarkierung')
    expect(bucketNameProblem('My_Bucket', 'ceph-rgw', 'de')).toBe(
      'Ein Bucket-Name darf nur Kleinbuchstaben, Ziffern, Bindestriche (-) und Punkte (.) enthalten.',
    )
    expect(bucketNameProblem('xn--abc', 'aws-s3', 'zh-CN')).toBe('Amazon S3 保留以“xn--”开头的桶名称。')
    expect(bucketNameProblem('good-name', 'aws-s3', 'de')).toBeUndefined()
  })

  it('says a delete marker is written where the bucket keeps versions', () => {
    expect(versioningNote('enabled')).toContain('a delete marker is written')
    expect(versioningNote('suspended')).toContain('a delete marker is written')
    expect(versioningNote('disabled')).toBeUndefined()
  })
})
