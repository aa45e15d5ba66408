import { defineStore } from 'pinia'
import { ref } from 'vue'
import { setLocale } from '../i18n'
import {
  type LocalePreference,
  resolveLocale,
  storedPreference,
  storePreference,
  systemLanguages,
} from '../i18n/locale'

/**
 * The window's language: the OS's or browser's (navigator.languages) unless the user picked one, which is
 * remembered. A change of the system's language while "follow the system" is chosen applies at once.
 */
export const useLocaleStore = defineStore('locale', () => {
  const preference = ref<LocalePreference>(storedPreference())

  function apply(): void {
    setLocale(resolveLocale(preference.value, systemLanguages()))
  }

  function set(next: LocalePreference): void {
    preference.value = next
    storePreference(next)
    apply()
  }

  globalThis.addEventListener?.('languagechange', apply)
  apply()
  return { preference, set }
})
