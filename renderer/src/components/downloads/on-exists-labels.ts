import type { OnExists, OnExistsPolicy } from '../../../../preload/contract/download-models'

/** The words for each rule about existing files, as Cyberduck's transfer prompt offers them. */
export const ON_EXISTS_LABELS: Record<OnExistsPolicy, string> = {
  ask: 'Ask me once per download',
  compare: 'Compare: skip files with the same content, replace the others',
  overwrite: 'Overwrite',
  skip: 'Skip',
  rename: 'Keep both (the new file gets a unique name)',
}

/** The short words of an answer button. */
export const ANSWER_BUTTONS: Record<OnExists, string> = {
  compare: 'Compare',
  overwrite: 'Overwrite',
  skip: 'Skip',
  rename: 'Keep both',
}

/** The same rules for uploads onto objects that already exist. */
export const UPLOAD_ON_EXISTS_LABELS: Record<OnExistsPolicy, string> = {
  ask: 'Ask me once per upload',
  compare: 'Compare: skip files whose content is already there, replace the others',
  overwrite: 'Overwrite',
  skip: 'Skip',
  rename: 'Keep both (the new object gets a unique name)',
}
