import { type Ref, ref } from 'vue'

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

/** A preference remembered across sessions: the ref the views read, and the setter that also stores it. */
export function rememberedSetting<T extends string>(
  key: string,
  fallback: T,
): { value: Ref<T>; set(next: T): void } {
  const value = ref(readSetting(key) ?? fallback) as Ref<T>
  return {
    value,
    set(next) {
      value.value = next
      writeSetting(key, next)
    },
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
