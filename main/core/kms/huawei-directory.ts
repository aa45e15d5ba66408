import type { Account, KmsKey, KmsKeyState } from '../../../preload/contract/models'
import { PROVIDER_PRESETS } from '../accounts/providers'
import { AppError } from '../errors'
import { onceUntilFailure } from '../once-until-failure'
import type { HttpTransport } from './http-transport'
import { huaweiHttpError, huaweiTransportError } from './huawei-errors'
import { signRequest } from './huawei-signer'
import { defaultKeyEntry, orderKeys } from './key-list'
import type { KmsCredentials, KmsDirectory } from './kms-directory'

/**
 * One entry of `key_details` in the list-keys answer ("Querying the List of CMKs", POST
 * /v1.0/{project_id}/kms/list-keys: https://support.huaweicloud.com/intl/en-us/api-dew/ListKeys.html,
 * https://docs.otc.t-systems.com/en-us/api/kms/kms_02_0017.html). Every field is a string, flags included.
 */
interface HuaweiKeyDetails {
  key_id: string
  domain_id: string
  key_alias?: string
  key_description?: string
  key_state?: string
  default_key_flag?: string
  key_usage?: string
}

interface ListKeysPage {
  key_details?: HuaweiKeyDetails[]
  next_marker?: string
  /** "true" / "false" as documented; a boolean is accepted too. */
  truncated?: string | boolean
}

/** key_state as documented: 1 to be activated, 2 enabled, 3 disabled, 4 to be deleted, 5 to be imported. */
const STATES: Record<string, KmsKeyState> = {
  '1': 'pending-activation',
  '2': 'enabled',
  '3': 'disabled',
  '4': 'pending-deletion',
  '5': 'pending-import',
}

/** A runaway marker must not loop forever: 200 pages of up to 2000 keys is beyond any account's quota. */
const MAX_PAGES = 200

export interface HuaweiDirectoryParams {
  account: Pick<Account, 'provider' | 'region' | 'projectId'>
  credentials: KmsCredentials
  endpoint: string
  /** Built lazily: reading the CA file is asynchronous. */
  transport: () => Promise<HttpTransport>
  pageSize: number
  now: () => Date
}

function missingProjectId(region: string): AppError {
  return new AppError(
    'INVALID_ARGUMENT',
    `Listing KMS keys needs the project id of region "${region}". Find it in the console under My Credentials > API Credentials (the project named "${region}") and add it to the account; you can also type a key id by hand.`,
    { params: { cause: 'projectIdMissing', region } },
  )
}

/**
 * Maps one key for the picker. The header id is OBS's documented `regionID:domainID:key/keyID` form
 * (https://support.huaweicloud.com/en-us/api-obs/obs_04_0106.html); the default key sends none (see
 * KmsDirectory). Other services' default keys (evs/default, rds/default...) also carry default_key_flag "1";
 * OBS's console does not offer them, so neither does the picker; nor signing-only keys.
 */
function toKmsKey(details: HuaweiKeyDetails, region: string, defaultAlias: string): KmsKey | undefined {
  const isDefault = details.key_alias === defaultAlias
  if (details.default_key_flag === '1' && !isDefault) return undefined
  if (details.key_usage && details.key_usage !== 'ENCRYPT_DECRYPT') return undefined
  return {
    id: details.key_id,
    headerId: isDefault ? '' : `${region}:${details.domain_id}:key/${details.key_id}`,
    alias: details.key_alias || undefined,
    description: details.key_description || undefined,
    state: STATES[details.key_state ?? ''] ?? 'unknown',
    isDefault,
    origin: 'listed',
  }
}

export function createHuaweiKmsDirectory(params: HuaweiDirectoryParams): KmsDirectory {
  const { account, credentials, endpoint } = params
  const defaultAlias = PROVIDER_PRESETS[account.provider].defaultKmsKeyAlias ?? 'obs/default'

  async function page(
    transport: HttpTransport,
    url: string,
    marker: string | undefined,
  ): Promise<ListKeysPage> {
    // limit and marker are strings in the documented request; marker is left out on the first page.
    const body = JSON.stringify(
      marker ? { limit: String(params.pageSize), marker } : { limit: String(params.pageSize) },
    )
    const now = params.now()
    const headers = signRequest(
      { method: 'POST', url, headers: { 'Content-Type': 'application/json;charset=UTF-8' }, body },
      credentials,
      now,
    )
    const res = await transport({ url, method: 'POST', headers, body }).catch((error: unknown) => {
      throw huaweiTransportError(error, endpoint)
    })
    if (res.status !== 200) throw huaweiHttpError(res, { endpoint, now })
    try {
      return JSON.parse(res.body) as ListKeysPage
    } catch (error) {
      throw new AppError('SERVER_ERROR', `KMS at ${endpoint} answered something that is not JSON.`, {
        cause: error,
        params: { cause: 'kmsNotJson', endpoint },
      })
    }
  }

  // One transport (and so one keep-alive pool) per directory.
  const openTransport = onceUntilFailure(params.transport)

  return {
    async listKeys() {
      if (!account.projectId) throw missingProjectId(account.region)
      const http = await openTransport()
      const url = `${endpoint.replace(/\/+$/, '')}/v1.0/${encodeURIComponent(account.projectId)}/kms/list-keys`
      const details: HuaweiKeyDetails[] = []
      let marker: string | undefined
      for (let pages = 0; pages < MAX_PAGES; pages++) {
        const answer = await page(http, url, marker)
        details.push(...(answer.key_details ?? []))
        const more = answer.truncated === true || answer.truncated === 'true'
        if (!more || !answer.next_marker || answer.next_marker === marker) break
        marker = answer.next_marker
      }
      const keys = details.flatMap((d) => toKmsKey(d, account.region, defaultAlias) ?? [])
      if (!keys.some((key) => key.isDefault)) keys.push(defaultKeyEntry(defaultAlias))
      return orderKeys(keys)
    },
  }
}
