import { defineStore } from 'pinia'
import { ref } from 'vue'
import { setLocale } from '../i18n'
import { type LocalePreference, resolveLocale, systemLanguages } from '../i18n/locale'
import { useIpc } from '../ipc/inject'

/**
 * The window's language: the OS's or browser's (navigator.languages) unless the user picked one. The choice is
 * kept by main (`settings:locale`), the one place the app menu, the tray and the notifications read it from too;
 * a choice made in another window arrives as the `settings:locale` event. A change of the system's language
 * while "follow the system" is chosen applies at once.
 */
export const useLocaleStore = defineStore('locale', () => {
  const ipc = useIpc()
  const preference = ref<LocalePreference>('system')
  /** A choice made here before main's answer arrived wins over that (older) answer. */
  let chosenHere = false

  function apply(): void {
    setLocale(resolveLocale(preference.value, systemLanguages()))
  }

  function follow(next: LocalePreference): void {
    preference.value = next
    apply()
  }

  async function set(next: LocalePreference): Promise<void> {
    chosenHere = true
    follow(next)
    // Not saved (main unreachable): the window still shows the choice; it is asked again on the next start.
    await ipc.call('settings:set-locale', next).catch(() => {})
  }

  globalThis.addEventListener?.('languagechange', apply)
  ipc.on('settings:locale', follow)
  apply()
  // Until main answers, the system's language shows (a few milliseconds on either transport).
  void ipc
    .call('settings:locale')
    .then((stored) => {
      if (!chosenHere) follow(stored)
    })
    .catch(() => {})
  return { preference, set }
})
