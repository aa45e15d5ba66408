import type { Activity } from '../../../../preload/contract/sync-models'
import { describeIpcError } from '../../errors'
import { t } from '../../i18n'

/**
 * An activity line in the window's language: lines main sends as data (`line`, with the failure's code and
 * parameters) from the catalogue; older lines and those not worded as data yet as main's English sentence.
 */
export function activityText(entry: Activity): string {
  const line = entry.line
  if (!line) return entry.message
  if (line.kind === 'upload-failed') {
    if (!entry.error) return entry.message
    return t('activityLines.upload-failed', { ...line.params, reason: describeIpcError(entry.error).message })
  }
  return t(`activityLines.${line.kind}`, line.params)
}
