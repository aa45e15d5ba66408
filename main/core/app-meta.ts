import { homepage, name, productName, version } from '../../package.json'

export const APP_NAME = productName
export const APP_ID = name
export const APP_VERSION = version

/** The project's documentation (the only non-provider site the desktop app opens in a browser). */
export const APP_HOMEPAGE = homepage
