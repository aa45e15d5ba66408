/**
 * Small window-local preferences (chosen account, theme, last download folder) in localStorage. Storage may be
 * unavailable (disabled, private mode): the preference then lasts for this window only.
 */
export function readSetting(key: string): string | undefined {
  try {
    return globalThis.localStorage?.getItem(key) ?? undefined
  } catch {
    return undefined
  }
}

export function writeSetting(key: string, value: string | undefined): void {
  try {
    if (value === undefined) globalThis.localStorage?.removeItem(key)
    else globalThis.localStorage?.setItem(key, value)
  } catch {
    // Not persisted.
  }
}
