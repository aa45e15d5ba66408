import type { OnExists, OnExistsPolicy } from '../../../../preload/contract/download-models'

/** The message keys of each rule about existing files, as Cyberduck's transfer prompt offers them. */
export const ON_EXISTS_LABELS: Record<OnExistsPolicy, string> = {
  ask: 'onExists.download.ask',
  compare: 'onExists.download.compare',
  overwrite: 'onExists.overwrite',
  skip: 'onExists.skip',
  rename: 'onExists.download.rename',
}

/** The message keys of the short answer buttons. */
export const ANSWER_BUTTONS: Record<OnExists, string> = {
  compare: 'onExists.button.compare',
  overwrite: 'onExists.overwrite',
  skip: 'onExists.skip',
  rename: 'onExists.button.rename',
}

/** The same rules for uploads onto objects that already exist. */
export const UPLOAD_ON_EXISTS_LABELS: Record<OnExistsPolicy, string> = {
  ask: 'onExists.upload.ask',
  compare: 'onExists.upload.compare',
  overwrite: 'onExists.overwrite',
  skip: 'onExists.skip',
  rename: 'onExists.upload.rename',
}
