import { afterEach, describe, expect, it } from 'vitest'
import { PROVIDERS } from '../../preload/contract/models'
import { consoleFamily, serviceManagedEncryptionName } from '../../preload/contract/provider-wording'
import { encryptionLabel } from '../../renderer/src/components/browser/encryption-labels'
import { setLocale } from '../../renderer/src/i18n'
import { stateLabel } from '../../renderer/src/stores/kms'

afterEach(() => setLocale('en'))

describe('provider wording: one decision, the provider console names', () => {
  it('Huawei Cloud and OTC accounts say SSE-OBS; AWS, MinIO, Ceph RGW and other S3 servers say SSE-S3', () => {
    const names = Object.fromEntries(PROVIDERS.map((p) => [p, serviceManagedEncryptionName(p)]))
    expect(names).toEqual({
      'huawei-obs': 'SSE-OBS',
      'otc-obs': 'SSE-OBS',
      'aws-s3': 'SSE-S3',
      minio: 'SSE-S3',
      'ceph-rgw': 'SSE-S3',
      'custom-s3': 'SSE-S3',
    })
    expect(encryptionLabel('sse-obs', 'otc-obs')).toBe('SSE-OBS')
    expect(encryptionLabel('sse-obs', 'ceph-rgw')).toBe('SSE-S3')
    expect(consoleFamily(undefined)).toBe('s3')
  })

  it('KMS key states as the Huawei / OTC KMS console names them, in English and in Chinese', () => {
    expect(stateLabel('pending-activation', 'huawei-obs')).toBe('To be activated')
    expect(stateLabel('pending-deletion', 'otc-obs')).toBe('Pending deletion')
    setLocale('zh-CN')
    expect(
      ['enabled', 'disabled', 'pending-deletion', 'pending-import', 'pending-activation'].map((s) =>
        stateLabel(s as never, 'huawei-obs'),
      ),
    ).toEqual(['启用', '禁用', '计划删除', '等待导入', '待激活'])
  })

  it('KMS key states as the AWS KMS console names them (a key being created is "Creating")', () => {
    expect(stateLabel('pending-activation', 'aws-s3')).toBe('Creating')
    expect(stateLabel('pending-import', 'aws-s3')).toBe('Pending import')
    setLocale('de')
    expect(stateLabel('pending-deletion', 'aws-s3')).toBe('Ausstehende Löschung')
    expect(stateLabel('pending-deletion', 'huawei-obs')).toBe('Löschen ausstehend')
  })
})
