import { AppError } from '../errors'

/**
 * An endpoint is a bare http(s) origin. Credentials in the URL would end up in the accounts file and logs,
 * and a path would break virtual-hosted addressing, so both are refused with the reason.
 */
export function normalizeEndpoint(raw: string): string {
  let url: URL
  try {
    url = new URL(raw.includes('://') ? raw : `https://${raw}`)
  } catch {
    throw new AppError('INVALID_ARGUMENT', `"${raw}" is not a valid endpoint address.`, {
      params: { rule: 'endpointInvalid', endpoint: raw },
    })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError(
      'INVALID_ARGUMENT',
      `The endpoint must start with https:// (or http:// for a local test server).`,
      { params: { rule: 'endpointScheme' } },
    )
  }
  if (url.username || url.password) {
    throw new AppError('INVALID_ARGUMENT', 'Put the keys in the key fields, not in the endpoint address.', {
      params: { rule: 'endpointCredentials' },
    })
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new AppError(
      'INVALID_ARGUMENT',
      'The endpoint is a server address only, without a path or bucket name.',
      { params: { rule: 'endpointPath' } },
    )
  }
  return url.origin
}
