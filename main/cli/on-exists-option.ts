import { ON_EXISTS, type OnExists } from '../../preload/contract/download-models'
import { usageError } from './context'

/** `--on-exists`, the same words for `get` (files) and `upload` (objects); the CLI's default is compare. */
export const ON_EXISTS_OPTION = [
  '--on-exists <rule>',
  `when it already exists: ${ON_EXISTS.join(' | ')}`,
  'compare',
] as const

export function parseOnExists(value: string): OnExists {
  if ((ON_EXISTS as readonly string[]).includes(value)) return value as OnExists
  throw usageError(`--on-exists must be ${ON_EXISTS.join(', ')}, not "${value}".`)
}
