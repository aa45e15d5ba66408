/** Where secrets live: the OS keychain on a desktop, the environment on a headless server. */
export interface SecretStore {
  get(key: string): Promise<string | null>
  set(key: string, secret: string): Promise<void>
  delete(key: string): Promise<boolean>
  /** Names of every entry this app stored (never the secrets). */
  keys(): Promise<string[]>
}

/** Keychain entry names, one service for the whole app, one entry per account secret. */
export const secretKeys = {
  secretAccessKey: (accountId: string) => `${accountId}/secret-access-key`,
  sseCustomerKey: (accountId: string, name: string) => `${accountId}/sse-c/${name}`,
  /** `user:password` of the account's proxy; the stored proxy URL has none. */
  proxyCredentials: (accountId: string) => `${accountId}/proxy-credentials`,
}
