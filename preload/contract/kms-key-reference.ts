import type { KmsKey } from './models'

/** The ways a user may write a listed key: its id, its header id, its alias, `alias/<alias>`. */
export function kmsKeyNames(key: KmsKey): string[] {
  const names = [key.id, key.headerId]
  if (key.alias) names.push(key.alias, `alias/${key.alias}`)
  return names.filter((name) => name !== '')
}

/** The id the SSE-KMS header needs for this key; undefined for the provider's default key (sent as no key id). */
export function kmsHeaderId(key: KmsKey): string | undefined {
  if (key.isDefault && key.headerId === '') return undefined
  return key.headerId || key.id
}

/**
 * What the SSE-KMS header carries for a key the user named (an alias, a bare key id, OBS's
 * `region:domainId:key/keyId`, an ARN): the header id of the listed key it names (OBS wants its
 * `region:domainId:key/keyId` form and has no aliases; the provider's default key is sent as no id at all), or the
 * reference unchanged when the account's key listing does not have it (a key typed for a server that cannot list
 * keys, or a full ARN the server understands as it is). The upload queue applies it to every SSE-KMS upload, so the
 * CLI's `--kms-key` and the GUI's key picker send the same header for the same key.
 */
export function kmsHeaderIdFor(reference: string, keys: readonly KmsKey[]): string | undefined {
  const key = keys.find((k) => kmsKeyNames(k).includes(reference))
  return key ? kmsHeaderId(key) : reference
}

/**
 * Does `reported` (a key id as a server reports it on an object: bare id, OBS `region:domain:key/id`, ARN) name
 * this key? Used to name the key of an encrypted object.
 */
export function kmsKeyMatches(key: KmsKey, reported: string): boolean {
  if (kmsKeyNames(key).includes(reported)) return true
  return key.id !== '' && (reported.endsWith(`/${key.id}`) || reported.endsWith(`:${key.id}`))
}
