import type { IpcError } from './errors'

/**
 * What every channel answers. An Error thrown across Electron IPC or a WebSocket loses its class and code,
 * so main never throws across the boundary: it answers with this envelope instead.
 */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError }

export function success<T>(value: T): Envelope<T> {
  return { ok: true, value }
}

export function failure(error: IpcError): Envelope<never> {
  return { ok: false, error }
}
