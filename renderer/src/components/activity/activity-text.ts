import type { Activity } from '../../../../preload/contract/sync-models'
import { describeIpcError } from '../../errors'
import { formatNumber } from '../../format'
import { t } from '../../i18n'
import { skipReasonText } from '../../skip-text'

/**
 * An activity line in the window's language: lines main sends as data (`line`, with the failure's code and
 * parameters) from the catalogue; a line that only reports an error as that error is worded; older lines and
 * those not worded as data yet as main's English sentence.
 */
export function activityText(entry: Activity): string {
  const line = entry.line
  if (!line) return entry.error ? describeIpcError(entry.error).message : entry.message
  switch (line.kind) {
    case 'upload-failed':
      if (!entry.error) return entry.message
      return t('activityLines.upload-failed', {
        ...line.params,
        reason: describeIpcError(entry.error).message,
      })
    case 'record-failed':
      if (!entry.error) return entry.message
      return t('activityLines.record-failed', {
        ...line.params,
        reason: describeIpcError(entry.error).message,
      })
    case 'skipped': {
      const reason = skipReasonText(line.params.why, line.params.errno)
      return reason === undefined ? entry.message : t('activityLines.skipped', { ...line.params, reason })
    }
    case 'scan-found': {
      const count = Number(line.params.count)
      return t('activityLines.scan-found', { ...line.params, count: formatNumber(count) }, count)
    }
    default:
      return t(`activityLines.${line.kind}`, line.params)
  }
}
