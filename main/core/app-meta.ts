import { name, productName, version } from '../../package.json'

export const APP_NAME = productName
export const APP_ID = name
export const APP_VERSION = version
