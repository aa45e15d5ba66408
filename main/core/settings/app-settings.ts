import { join } from 'node:path'
import { z } from 'zod'
import { LOCALE_PREFERENCES, type LocalePreference } from '../../../preload/contract/i18n/locales'
import { readJsonFile, writeJsonFileAtomic } from '../json-file'

/**
 * The user's app-wide preferences that main needs too, kept in `settings.json` of the data folder (no secrets).
 * The language lives here, not in a window: the app menu, the tray and the notifications (main) speak the
 * language the user chose in the window, and every window of the web UI follows the same choice.
 */
const settingsSchema = z
  .object({ locale: z.enum(LOCALE_PREFERENCES).catch('system').default('system') })
  .catch({ locale: 'system' })
type SettingsFile = z.infer<typeof settingsSchema>

export interface AppSettings {
  locale(): Promise<LocalePreference>
  setLocale(preference: LocalePreference): Promise<void>
}

export function createAppSettings(options: {
  dataDir: string
  /** Told after a change was saved (the composition root raises the `settings:locale` event). */
  onLocaleChange?: (preference: LocalePreference) => void
}): AppSettings {
  const path = join(options.dataDir, 'settings.json')
  // Writes queue behind each other, so two quick choices land in the order they were made.
  let writing: Promise<unknown> = Promise.resolve()

  // A damaged or hand-edited file falls back to "follow the system" rather than stopping the app.
  const read = async (): Promise<SettingsFile> =>
    settingsSchema.parse(await readJsonFile(path, {}).catch(() => ({})))

  return {
    async locale() {
      await writing
      return (await read()).locale
    },
    async setLocale(preference) {
      const write = writing.then(async () =>
        writeJsonFileAtomic(path, { ...(await read()), locale: preference }),
      )
      writing = write.catch(() => {})
      await write
      options.onLocaleChange?.(preference)
    },
  }
}
