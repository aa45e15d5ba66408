import type { Account } from '../../../preload/contract/models'
import { AppError } from '../errors'
import type { S3Credentials } from '../storage/s3-client'
import { type SecretStore, secretKeys } from './secret-store'

/**
 * Headless servers often have no Secret Service. There the secret may come from the environment, for the
 * account whose access key id matches OBS_SYNC_ACCESS_KEY_ID; never from a file.
 */
export const ENV_ACCESS_KEY_ID = 'OBS_SYNC_ACCESS_KEY_ID'
export const ENV_SECRET_ACCESS_KEY = 'OBS_SYNC_SECRET_ACCESS_KEY'

export async function resolveCredentials(
  account: Pick<Account, 'id' | 'name' | 'accessKeyId'>,
  secrets: SecretStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<S3Credentials> {
  const envSecret = env[ENV_SECRET_ACCESS_KEY]
  if (envSecret && env[ENV_ACCESS_KEY_ID] === account.accessKeyId) {
    return { accessKeyId: account.accessKeyId, secretAccessKey: envSecret }
  }
  const secret = await secrets.get(secretKeys.secretAccessKey(account.id))
  if (!secret) {
    throw new AppError(
      'CREDENTIALS_MISSING',
      `No secret key is stored for account "${account.name}". Edit the account and enter its secret key.`,
      { params: { account: account.name } },
    )
  }
  return { accessKeyId: account.accessKeyId, secretAccessKey: secret }
}
