import { kmsKeyNames } from '../../../preload/contract/kms-key-reference'
import type { KmsKey, KmsKeyState } from '../../../preload/contract/models'

/**
 * The provider's default key for object storage when it is not (yet) listed: OBS and S3 create it the first
 * time an object is encrypted without a key id. Its state is 'enabled' because neither provider lets a user
 * disable or delete these service-managed keys (Huawei KMS.0211, AWS managed keys), and its headerId is ''
 * because the way to use it is to send no key id at all. Its origin is 'listed' even where nothing was listed
 * (manual directories): the user did not type it, the provider preset supplies it.
 */
export function defaultKeyEntry(alias: string, state: KmsKeyState = 'enabled'): KmsKey {
  return {
    id: alias,
    headerId: '',
    alias,
    description: 'Default key of the storage service, created by the provider on first use.',
    state,
    isDefault: true,
    origin: 'listed',
  }
}

function label(key: KmsKey): string {
  return (key.alias ?? key.id).toLowerCase()
}

/** Default key first, then by alias (or id when there is none), ties by id: the order the picker shows. */
export function orderKeys(keys: readonly KmsKey[]): KmsKey[] {
  return [...keys].sort((a, b) => {
    if (a.isDefault !== b.isDefault) return a.isDefault ? -1 : 1
    return label(a).localeCompare(label(b)) || a.id.localeCompare(b.id)
  })
}

/**
 * Adds hand-typed keys to a listed set, leaving out those that name a key already present (typed by id,
 * header id or alias): the listed entry carries the real state, the typed one would only say 'unknown'.
 */
export function mergeKeys(listed: readonly KmsKey[], manual: readonly KmsKey[]): KmsKey[] {
  const known = new Set(listed.flatMap(kmsKeyNames))
  const merged = [...listed]
  for (const key of manual) {
    if (kmsKeyNames(key).some((name) => known.has(name))) continue
    for (const name of kmsKeyNames(key)) known.add(name)
    merged.push(key)
  }
  return orderKeys(merged)
}
