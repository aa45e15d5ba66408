import type { Account } from '../../../preload/contract/models'
import { PROVIDER_PRESETS } from '../accounts/providers'
import { proxyFor } from '../storage/proxy-choice'
import { trustedCertificates } from '../trusted-ca'
import { createAwsKmsClient } from './aws-client'
import { createAwsKmsDirectory } from './aws-directory'
import { createFetchTransport, createNodeTransport } from './http-transport'
import { createHuaweiKmsDirectory } from './huawei-directory'
import { huaweiKmsEndpoint } from './huawei-endpoint'
import type { KmsCredentials, KmsDirectory, KmsDirectoryOptions } from './kms-directory'
import { createManualKmsDirectory } from './manual-directory'

/**
 * The account's key directory, chosen by its provider preset (kmsDirectory: huawei | aws | manual). Nothing is
 * read or sent until listKeys(): the CA file is read then, so a bad path fails the listing with TLS_FAILURE
 * instead of failing here. The credentials are used for signing only and never kept elsewhere.
 */
export function createKmsDirectory(
  account: Account,
  credentials: KmsCredentials,
  options: KmsDirectoryOptions = {},
): KmsDirectory {
  const preset = PROVIDER_PRESETS[account.provider]
  const caFile = options.caFile ?? account.caFile
  switch (preset.kmsDirectory) {
    case 'huawei': {
      const endpoint = options.endpointOverride ?? huaweiKmsEndpoint(account, preset)
      return createHuaweiKmsDirectory({
        account,
        credentials,
        endpoint,
        transport: async () =>
          options.fetchImpl
            ? createFetchTransport(options.fetchImpl)
            : createNodeTransport({
                ca: await trustedCertificates(caFile),
                timeoutMs: options.timeoutMs,
                proxy: proxyFor(account.proxy, endpoint),
              }),
        // The API's maximum; one page covers almost every account.
        pageSize: options.pageSize ?? 2000,
        now: options.now ?? (() => new Date()),
      })
    }
    case 'aws': {
      const endpoint =
        options.endpointOverride ?? `https://kms.${account.region || 'us-east-1'}.amazonaws.com`
      return createAwsKmsDirectory({
        client: () =>
          createAwsKmsClient(credentials, {
            region: account.region,
            caFile,
            endpoint: options.endpointOverride,
            timeoutMs: options.timeoutMs,
            proxy: proxyFor(account.proxy, endpoint),
          }),
        endpoint,
        pageSize: options.pageSize ?? 1000,
      })
    }
    case 'manual':
      return createManualKmsDirectory(account)
  }
}
