import { AppError } from '../errors'
import { classifyS3Error } from '../storage/classify-error'
import type { HttpResponse } from './http-transport'

/**
 * Error bodies come in two documented shapes: KMS's own `{"error": {"error_code": "KMS.0307", "error_msg": ...}}`
 * (https://docs.otc.t-systems.com/en-us/api/kms/kms_02_8888.html, https://support.huaweicloud.com/intl/en-us/api-dew/ErrorCode.html;
 * KMS.0306/KMS.0307 "no permission" in the code list of the older reference, kms_02_0302) and the API
 * Gateway's flat `{"error_code": "APIGW.0301", "error_msg": ..., "request_id": ...}` for authentication failures
 * (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html).
 */
export function huaweiErrorOf(body: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>
    const inner = (parsed.error && typeof parsed.error === 'object' ? parsed.error : parsed) as Record<
      string,
      unknown
    >
    return { code: String(inner.error_code ?? ''), message: String(inner.error_msg ?? '') }
  } catch {
    return { code: '', message: body.slice(0, 200) }
  }
}

/** X-Sdk-Date must be within 15 minutes of the gateway's clock; its Date header tells us whether that failed. */
const MAX_SKEW_MS = 15 * 60_000

function clockSkewed(res: HttpResponse, now: Date): boolean {
  const serverTime = Date.parse(res.headers.date ?? '')
  return Number.isFinite(serverTime) && Math.abs(serverTime - now.getTime()) > MAX_SKEW_MS
}

/**
 * A refused list-keys call as an AppError naming the fix. 403 is the gateway/IAM refusing the action (KMS.0306,
 * KMS.0307 or an IAM policy denial): the permission is named and manual entry is offered, as domain rule 5 asks.
 */
export function huaweiHttpError(res: HttpResponse, context: { endpoint: string; now: Date }): AppError {
  const { code, message } = huaweiErrorOf(res.body)
  const detail = code || message ? ` (${[code, message].filter(Boolean).join(': ')})` : ''
  if (res.status === 401 && clockSkewed(res, context.now)) {
    return new AppError(
      'CLOCK_SKEW',
      `KMS at ${context.endpoint} refused the request because this computer's clock differs from the server's by more than 15 minutes${detail}. Set the clock automatically (NTP) and try again.`,
      { params: { cause: 'kmsClock', endpoint: context.endpoint } },
    )
  }
  if (res.status === 401) {
    return new AppError(
      'BAD_CREDENTIALS',
      `KMS at ${context.endpoint} refused the access key or secret key${detail}. Check both in the account settings.`,
      { params: { cause: 'kmsCredentials', endpoint: context.endpoint } },
    )
  }
  if (res.status === 403) {
    return new AppError(
      'KMS_PERMISSION_MISSING',
      `This access key may not list KMS keys: it needs the permission kms:cmk:list${detail}. Ask an administrator to grant it in IAM, or type a key id by hand.`,
      { params: { cause: 'kmsListPermission', permission: 'kms:cmk:list' } },
    )
  }
  if (res.status === 404 || code === 'KMS.0201') {
    return new AppError(
      'REQUEST_REFUSED',
      `KMS at ${context.endpoint} does not know this request${detail}. Check the account's region and project id.`,
      { params: { cause: 'kmsUnknownRequest', endpoint: context.endpoint } },
    )
  }
  return classifyS3Error(
    Object.assign(new Error(message || `HTTP ${res.status}`), {
      name: code,
      $metadata: { httpStatusCode: res.status },
    }),
    { endpoint: context.endpoint },
  )
}

/** Network and TLS failures get the storage taxonomy's words (unreachable endpoint, untrusted certificate). */
export function huaweiTransportError(error: unknown, endpoint: string): AppError {
  return classifyS3Error(error, { endpoint })
}
