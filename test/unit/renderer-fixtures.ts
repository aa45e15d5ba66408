import { presetInfos } from '../../main/core/accounts/preset-info'
import { EMPTY_STATUS } from '../../main/electron/status-feed'
import type {
  KmsKey,
  ObjectDetails,
  ObjectEncryption,
  ObjectPage,
  ProviderPresetInfo,
} from '../../preload/contract/models'
import type { Job, StatusSummary } from '../../preload/contract/queue-models'
import type { SyncPair, SyncPairStatus } from '../../preload/contract/sync-models'

/** Small builders of contract values for the renderer tests. */
export { account } from './account-fixture'

/** The presets main sends (core's own list, so that the forms are tested with core's rules). */
export const presets: ProviderPresetInfo[] = presetInfos()

export function kmsKey(overrides: Partial<KmsKey> = {}): KmsKey {
  const id = overrides.id ?? 'key-1'
  return {
    id,
    headerId: `eu-de:domain:key/${id}`,
    state: 'enabled',
    isDefault: false,
    origin: 'listed',
    ...overrides,
  }
}

export const defaultKey = kmsKey({
  id: 'obs/default',
  headerId: '',
  alias: 'obs/default',
  isDefault: true,
})

/** One page of `count` objects named obj-00000... under `prefix`, starting at `start`. */
export function page(
  prefix: string,
  start: number,
  count: number,
  nextToken?: string,
  folders: string[] = [],
): ObjectPage {
  return {
    prefix,
    folders,
    objects: Array.from({ length: count }, (_, i) => ({
      key: `${prefix}obj-${String(start + i).padStart(6, '0')}`,
      size: 1000 + i,
      lastModified: '2026-01-02T03:04:05.000Z',
    })),
    nextToken,
  }
}

export function details(key: string, encryption: ObjectEncryption = { mode: 'none' }): ObjectDetails {
  return {
    bucket: 'bucket-a',
    key,
    size: 2048,
    lastModified: '2026-01-02T03:04:05.000Z',
    contentType: 'text/plain',
    metadata: { owner: 'ana' },
    sha256: 'ab'.repeat(32),
    encryption,
  }
}

export function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 1,
    accountId: 'acc-1',
    bucket: 'bucket-a',
    key: 'docs/report.pdf',
    sourcePath: '/home/ana/report.pdf',
    size: 1000,
    state: 'queued',
    encryption: { choice: { mode: 'none' }, source: 'none' },
    attempts: 0,
    bytesDone: 0,
    origin: 'manual',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}

export function status(overrides: Partial<StatusSummary> = {}): StatusSummary {
  return { ...EMPTY_STATUS, ...overrides }
}

export function pair(overrides: Partial<SyncPair> = {}): SyncPair {
  return {
    id: 'pair-1',
    mirrorDeleteCapPercent: 10,
    localPath: '/home/ana/Scans',
    accountId: 'acc-1',
    bucket: 'bucket-a',
    prefix: 'scans/',
    mode: 'upload-only',
    paused: false,
    ...overrides,
  }
}

export function pairStatus(overrides: Partial<SyncPairStatus> = {}): SyncPairStatus {
  return { id: 'pair-1', state: 'idle', pendingFiles: 0, ...overrides }
}
