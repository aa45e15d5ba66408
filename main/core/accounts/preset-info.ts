import type { ProviderPresetInfo } from '../../../preload/contract/models'
import { sseKmsNeedsKeyId } from '../encryption/kms-key-required'
import { storageClassSupport } from '../storage/storage-classes'
import { PROVIDER_PRESETS } from './providers'

/** What the shells learn of each provider preset (`accounts:presets`): the forms' defaults and core's rules. */
export function presetInfos(): ProviderPresetInfo[] {
  return Object.values(PROVIDER_PRESETS).map((p) => ({
    id: p.id,
    label: p.label,
    endpointTemplate: p.endpointTemplate,
    defaultRegion: p.defaultRegion,
    addressing: p.addressing,
    defaultKmsKeyAlias: p.defaultKmsKeyAlias,
    sseKmsNeedsKeyId: sseKmsNeedsKeyId(p.id),
    storageClasses: storageClassSupport(p.id),
    bucketEncryption: { set: p.bucketEncryption.set, remove: p.bucketEncryption.remove },
  }))
}
