import { toIpcError } from '../../main/core/errors'
import type { IpcError } from '../../preload/contract/errors'
import { describeIpcError } from '../../renderer/src/errors'
import { setLocale } from '../../renderer/src/i18n'

/** What a thrown error becomes on its way to a window (the contract's envelope). */
export async function thrown(work: () => unknown): Promise<IpcError> {
  try {
    await work()
  } catch (error) {
    return toIpcError(error)
  }
  throw new Error('it did not fail')
}

/** The error as a window in `locale` words it (tests reset the locale to English after each test). */
export function inLocale(locale: 'en' | 'de' | 'zh-CN', error: IpcError): string {
  setLocale(locale)
  return describeIpcError(error).message
}
