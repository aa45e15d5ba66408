import { defineStore } from 'pinia'
import { computed, ref, watchEffect } from 'vue'
import { readSetting, writeSetting } from '../settings'

export type ThemePreference = 'system' | 'light' | 'dark'
const KEY = 'obs-sync.theme'

function stored(): ThemePreference {
  const value = readSetting(KEY)
  return value === 'light' || value === 'dark' ? value : 'system'
}

/**
 * Light or dark: the OS decides unless the user picked one. base.css follows prefers-color-scheme by itself;
 * an explicit choice is written to <html data-theme>, which overrides it.
 */
export const useThemeStore = defineStore('theme', () => {
  const preference = ref<ThemePreference>(stored())
  const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)')
  const systemDark = ref(query?.matches ?? false)
  query?.addEventListener?.('change', (event) => {
    systemDark.value = event.matches
  })

  const effective = computed<'light' | 'dark'>(() =>
    preference.value === 'system' ? (systemDark.value ? 'dark' : 'light') : preference.value,
  )

  function set(next: ThemePreference): void {
    preference.value = next
    writeSetting(KEY, next === 'system' ? undefined : next)
  }

  watchEffect(() => {
    const root = globalThis.document?.documentElement
    if (!root) return
    if (preference.value === 'system') delete root.dataset.theme
    else root.dataset.theme = preference.value
  })

  return { preference, systemDark, effective, set }
})
