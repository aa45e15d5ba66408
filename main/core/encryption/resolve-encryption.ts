import type { EncryptionChoice, ResolvedEncryption } from '../../../preload/contract/models'
import { AppError } from '../errors'

export interface EncryptionInputs {
  /** The choice made in the upload dialog, if the user made one. */
  explicit?: EncryptionChoice
  /** The watched folder's rule, for sync uploads. */
  folderRule?: EncryptionChoice
  /** The bucket's default encryption; undefined when it is unknown (RGW cannot say). */
  bucketDefault?: EncryptionChoice
}

/**
 * The one place that decides how an upload is encrypted: explicit choice > folder rule > bucket default > none.
 * Refuses SSE-KMS and SSE-C over plain HTTP before anything is sent: OBS refuses them too, and SSE-C over HTTP
 * would put the customer key on the wire in clear.
 */
export function resolveEncryption(inputs: EncryptionInputs, endpoint: string): ResolvedEncryption {
  const resolved: ResolvedEncryption = inputs.explicit
    ? { choice: inputs.explicit, source: 'explicit' }
    : inputs.folderRule
      ? { choice: inputs.folderRule, source: 'folder-rule' }
      : inputs.bucketDefault && inputs.bucketDefault.mode !== 'none'
        ? { choice: inputs.bucketDefault, source: 'bucket-default' }
        : { choice: { mode: 'none' }, source: 'none' }
  assertTransportAllows(resolved.choice, endpoint)
  return resolved
}

export function assertTransportAllows(choice: EncryptionChoice, endpoint: string): void {
  const needsHttps = choice.mode === 'sse-kms' || choice.mode === 'sse-c'
  if (needsHttps && !endpoint.toLowerCase().startsWith('https://')) {
    const mode = choice.mode === 'sse-kms' ? 'SSE-KMS' : 'SSE-C'
    throw new AppError(
      'HTTPS_REQUIRED',
      `${mode} needs an HTTPS endpoint, and ${endpoint} is plain HTTP. Change the account's endpoint to https://; nothing was sent.`,
      { params: { mode, endpoint } },
    )
  }
}
