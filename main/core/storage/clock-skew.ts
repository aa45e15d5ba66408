import type { S3Client } from '@aws-sdk/client-s3'

/**
 * A computer whose clock is off by more than 15 minutes gets every signed request refused
 * (RequestTimeTooSkewed). The server's Date header says how far off we are, so the app signs with the server's
 * time instead (as the AWS SDK does with its systemClockOffset) and tries the request once more. Only if that
 * does not help does the user hear of it, with the offset in minutes.
 *
 * One offset per connection, shared by its direct requests (direct-put.ts, direct-list.ts) and its SDK client once
 * that is built: from then on it lives in the SDK's own `systemClockOffset`, which the SDK also samples from the
 * Date header of every answer, so both kinds of request sign with the same time.
 */
export interface ClientClock {
  /** Milliseconds to add to this computer's clock to get the server's. */
  offsetMs(): number
  /** Learns the offset from an answer's Date header. */
  sample(dateHeader: string | undefined): void
}

export interface ConnectionClock extends ClientClock {
  /** Hands the offset to the SDK client's config (built later than the clock): it is kept there from now on. */
  share(config: ClockConfig): void
}

export interface ClockConfig {
  systemClockOffset?: number
}

export function connectionClock(now: () => number = Date.now): ConnectionClock {
  let config: ClockConfig = { systemClockOffset: 0 }
  return {
    offsetMs: () => config.systemClockOffset ?? 0,
    sample(dateHeader) {
      const server = dateHeader ? Date.parse(dateHeader) : Number.NaN
      if (!Number.isNaN(server)) config.systemClockOffset = server - now()
    },
    share(sdkConfig) {
      sdkConfig.systemClockOffset = config.systemClockOffset
      config = sdkConfig
    },
  }
}

export function isClockSkewError(error: unknown): boolean {
  const e = error as { name?: string; Code?: string } | undefined
  return e?.name === 'RequestTimeTooSkewed' || e?.Code === 'RequestTimeTooSkewed'
}

/** A body that can be sent again as it is (not a stream already consumed). */
function replayable(body: unknown): boolean {
  return (
    body === undefined || typeof body === 'string' || body instanceof Uint8Array || ArrayBuffer.isView(body)
  )
}

/**
 * SDK commands: when an answer says our clock is off and the SDK has just corrected its offset from the
 * server's Date header, send the command once more (re-signed with the corrected time). A streamed body
 * cannot be sent twice; that attempt fails and the queue's retry finds the offset already corrected.
 */
export function retryOnceAfterClockCorrection(s3: S3Client): void {
  s3.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args)
      } catch (error) {
        const corrected = (error as { $metadata?: { clockSkewCorrected?: boolean } }).$metadata
          ?.clockSkewCorrected
        const body = (args.input as { Body?: unknown }).Body
        if (!isClockSkewError(error) || !corrected || !replayable(body)) throw error
        return next(args)
      }
    },
    { step: 'initialize', name: 'obsSyncClockSkewRetry', priority: 'low' },
  )
}

/** "ahead of the server's by 20 minutes", from the Date header of a refused request. */
export function describeOffset(dateHeader: string | undefined, now: number = Date.now()): string | undefined {
  const server = dateHeader ? Date.parse(dateHeader) : Number.NaN
  if (Number.isNaN(server)) return undefined
  const minutes = Math.round((now - server) / 60_000)
  if (minutes === 0) return undefined
  return `${minutes > 0 ? 'ahead of' : 'behind'} the server's by ${Math.abs(minutes)} minute${Math.abs(minutes) === 1 ? '' : 's'}`
}
