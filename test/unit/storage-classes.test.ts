import { describe, expect, it } from 'vitest'
import { archiveStateOf, parseRestoreHeader } from '../../main/core/storage/archive-state'
import {
  canonicalStorageClass,
  isArchiveClass,
  resolveStorageClass,
  sameStorageClass,
  storageClassLabel,
  storageClassSupport,
} from '../../main/core/storage/storage-classes'

describe('storage classes per provider', () => {
  it("maps OBS's names (Standard / Warm / Cold, and its own WARM / COLD) to the S3 ids it accepts", () => {
    expect(resolveStorageClass('otc-obs', 'Standard')).toBe('STANDARD')
    expect(resolveStorageClass('otc-obs', 'warm')).toBe('STANDARD_IA')
    expect(resolveStorageClass('huawei-obs', 'Cold')).toBe('GLACIER')
    expect(resolveStorageClass('huawei-obs', 'COLD')).toBe('GLACIER')
    expect(resolveStorageClass('otc-obs', 'standard-ia')).toBe('STANDARD_IA')
    expect(resolveStorageClass('otc-obs', 'GLACIER')).toBe('GLACIER')
  })

  it('names S3 classes the way AWS does and takes either form', () => {
    expect(resolveStorageClass('aws-s3', 'Standard-IA')).toBe('STANDARD_IA')
    expect(resolveStorageClass('aws-s3', 'glacier deep archive')).toBe('DEEP_ARCHIVE')
    expect(storageClassLabel('aws-s3', 'GLACIER')).toBe('Glacier Flexible Retrieval')
    expect(storageClassLabel('aws-s3', undefined)).toBe('Standard')
  })

  it('refuses a class the provider does not have, listing the ones it has', () => {
    expect(() => resolveStorageClass('otc-obs', 'DEEP_ARCHIVE')).toThrow(/Standard \(STANDARD\), Warm/)
    expect(() => resolveStorageClass('aws-s3', 'COLD')).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
  })

  it('lets self-hosted servers use the classes their administrator defined (Ceph RGW COLD)', () => {
    expect(resolveStorageClass('ceph-rgw', 'cold')).toBe('COLD')
    expect(storageClassLabel('ceph-rgw', 'COLD')).toBe('COLD')
    expect(isArchiveClass('ceph-rgw', 'COLD')).toBe(false)
    expect(() => resolveStorageClass('ceph-rgw', 'no/such')).toThrow(/not a storage class/)
  })

  it('reads answers in S3 or OBS names; an absent class is STANDARD', () => {
    expect(storageClassLabel('otc-obs', 'COLD')).toBe('Cold')
    expect(storageClassLabel('otc-obs', 'GLACIER')).toBe('Cold')
    expect(storageClassLabel('otc-obs', 'WARM')).toBe('Warm')
    expect(canonicalStorageClass('otc-obs', undefined)).toBe('STANDARD')
    expect(sameStorageClass('otc-obs', 'GLACIER', 'COLD')).toBe(true)
    expect(sameStorageClass('ceph-rgw', 'STANDARD', undefined)).toBe(true)
    expect(sameStorageClass('ceph-rgw', 'COLD', undefined)).toBe(false)
  })

  it('knows which classes are archives and which restore speeds exist', () => {
    expect(isArchiveClass('otc-obs', 'COLD')).toBe(true)
    expect(isArchiveClass('otc-obs', 'WARM')).toBe(false)
    expect(isArchiveClass('aws-s3', 'DEEP_ARCHIVE')).toBe(true)
    expect(isArchiveClass('aws-s3', 'GLACIER_IR')).toBe(false)
    expect(isArchiveClass('minio', 'GLACIER')).toBe(true)
    expect(storageClassSupport('otc-obs').restoreTiers).toEqual(['expedited', 'standard'])
    expect(storageClassSupport('aws-s3').restoreTiers).toContain('bulk')
  })
})

describe('restore state from x-amz-restore / x-obs-restore', () => {
  it('parses in-progress and restored-until answers', () => {
    expect(parseRestoreHeader('ongoing-request="true"')).toEqual({ state: 'restoring' })
    expect(
      parseRestoreHeader('ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"'),
    ).toEqual({
      state: 'restored',
      restoredUntil: '2012-12-21T00:00:00.000Z',
    })
    expect(parseRestoreHeader(undefined)).toBeUndefined()
    expect(parseRestoreHeader('garbage')).toBeUndefined()
  })

  it('an archive class without a restore is archived; an expired copy is archived again; Standard is not', () => {
    const now = new Date('2026-11-29T00:00:00Z')
    expect(archiveStateOf('otc-obs', 'COLD', undefined, now)).toEqual({ state: 'archived' })
    expect(
      archiveStateOf(
        'aws-s3',
        'GLACIER',
        'ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"',
        now,
      ),
    ).toEqual({ state: 'archived' })
    expect(archiveStateOf('aws-s3', 'GLACIER', 'ongoing-request="true"', now)).toEqual({ state: 'restoring' })
    expect(archiveStateOf('aws-s3', undefined, undefined, now)).toBeUndefined()
    expect(archiveStateOf('ceph-rgw', 'COLD', undefined, now)).toBeUndefined()
  })
})
