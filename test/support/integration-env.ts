import { inject } from 'vitest'

// libsecret (under keytar) finds the Secret Service through the session bus in the environment: point it at
// the private keyring of this run, never at the developer's own.
const { keyring } = inject('services')
process.env.DBUS_SESSION_BUS_ADDRESS = keyring.DBUS_SESSION_BUS_ADDRESS
process.env.XDG_RUNTIME_DIR = keyring.XDG_RUNTIME_DIR
process.env.XDG_DATA_HOME = keyring.XDG_DATA_HOME
