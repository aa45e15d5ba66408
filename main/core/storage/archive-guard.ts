import type { ObjectDetails } from '../../../preload/contract/models'
import { AppError } from '../errors'
import { isReadable } from './archive-state'
import { archivedMessage } from './classify-error'

/**
 * Refuses, before any byte is fetched, to read an archived object that has no restored copy (the server would
 * answer 403 InvalidObjectState). The error says "restore it first"; the UI offers the restore action with it.
 */
export function assertReadable(details: Pick<ObjectDetails, 'key' | 'archive'>): void {
  if (isReadable(details.archive)) return
  const restoring = details.archive?.state === 'restoring'
  throw new AppError(
    'OBJECT_ARCHIVED',
    restoring
      ? `"${details.key}" is archived and its restore is still running; download or share it once it is restored.`
      : archivedMessage(details.key),
    { params: restoring ? { cause: 'restoreRunning', key: details.key } : { key: details.key } },
  )
}
