import type { Provider } from './models'

/**
 * How each provider's own console names things, decided once for every shell. Huawei Cloud and Open Telekom
 * Cloud run OBS and its KMS (DEW): their consoles call service-managed keys "SSE-OBS" and list KMS key states as
 * Huawei's API documents them (key_state 1-5: to be activated, enabled, disabled, pending deletion, pending import;
 * Chinese console: 待激活, 启用, 禁用, 计划删除, 等待导入 — support.huaweicloud.com/intl/zh-cn/usermanual-dew/
 * dew_01_0090.html). AWS, MinIO, Ceph RGW and other S3 servers say "SSE-S3", and AWS's KMS console names its states
 * Enabled, Disabled, Pending deletion, Pending import and Creating
 * (docs.aws.amazon.com/kms/latest/developerguide/key-state.html). The words themselves live in the message
 * catalogues (renderer/src/i18n) under the family chosen here.
 */

export type ConsoleFamily = 'obs' | 's3'

/** OBS wording for Huawei Cloud and OTC accounts; S3 wording everywhere else (and when no account is known). */
export function consoleFamily(provider: Provider | string | undefined): ConsoleFamily {
  return provider === 'huawei-obs' || provider === 'otc-obs' ? 'obs' : 's3'
}

/** The name of server-side encryption with keys the storage service manages (AES256). */
export function serviceManagedEncryptionName(provider: Provider | string | undefined): 'SSE-OBS' | 'SSE-S3' {
  return consoleFamily(provider) === 'obs' ? 'SSE-OBS' : 'SSE-S3'
}
