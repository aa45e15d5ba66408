import { z } from 'zod'
import { ipcErrorSchema } from './errors'

/** Frames of the headless web UI's WebSocket: the same envelope as Electron IPC, with a request id. */
export const requestFrameSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  channel: z.string(),
  args: z.array(z.unknown()),
})
export type RequestFrame = z.infer<typeof requestFrameSchema>

export const responseFrameSchema = z.object({
  type: z.literal('response'),
  id: z.number().int().nonnegative(),
  result: z.union([
    z.object({ ok: z.literal(true), value: z.unknown() }),
    z.object({ ok: z.literal(false), error: ipcErrorSchema }),
  ]),
})
export type ResponseFrame = z.infer<typeof responseFrameSchema>

export const eventFrameSchema = z.object({
  type: z.literal('event'),
  event: z.string(),
  payload: z.unknown(),
})
export type EventFrame = z.infer<typeof eventFrameSchema>

/**
 * Largest WebSocket frame the web UI server accepts. Every channel's argument limits must fit in it (checked
 * in test/unit/security-web-server.test.ts): the biggest is queue:enqueue, whose paths are capped in total
 * (MAX_ENQUEUE_PATH_CHARS) so that even its worst case (6 JSON bytes per character) stays below.
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024
export const serverFrameSchema = z.discriminatedUnion('type', [responseFrameSchema, eventFrameSchema])
