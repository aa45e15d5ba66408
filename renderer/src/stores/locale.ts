import { defineStore } from 'pinia'
import { ref } from 'vue'
import { setLocale } from '../i18n'
import { isAppLocale, type LocalePreference, resolveLocale, systemLanguages } from '../i18n/locale'
import { useIpc } from '../ipc/inject'
import { readSetting, writeSetting } from '../settings'

/** Where versions before settings.json kept the window's choice: this window's localStorage. */
const OLD_CHOICE_KEY = 'obs-sync.locale'

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

  /**
   * A language chosen before main kept the choice (settings.json) is in this window's localStorage: it is carried
   * over once, when main has none ('system'), and then removed, so it never overrides a choice made since. Not
   * saved (main unreachable): the window shows it, and it is carried over on the next start.
   */
  async function carryOverOldChoice(stored: LocalePreference): Promise<LocalePreference> {
    const old = readSetting(OLD_CHOICE_KEY)
    if (old === undefined) return stored
    if (stored !== 'system' || chosenHere || !isAppLocale(old)) {
      writeSetting(OLD_CHOICE_KEY, undefined)
      return stored
    }
    try {
      await ipc.call('settings:set-locale', old)
      writeSetting(OLD_CHOICE_KEY, undefined)
    } catch {
      // Kept for the next start.
    }
    return old
  }

  globalThis.addEventListener?.('languagechange', apply)
  ipc.on('settings:locale', follow)
  apply()
  // Until main answers, the system's language shows (a few milliseconds on either transport).
  void ipc
    .call('settings:locale')
    .then(carryOverOldChoice)
    .then((stored) => {
      if (!chosenHere) follow(stored)
    })
    .catch(() => {})
  return { preference, set }
})
