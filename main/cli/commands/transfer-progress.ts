import type { StatusSummary } from '../../../preload/contract/queue-models'
import { causeLine } from '../../../preload/contract/status-causes'
import type { ContractClient } from '../../ipc/contract-client'
import { type Output, progressBar } from '../output'

/** A repeated "offline" line at most this often (each job's retry changes the summary). */
const OFFLINE_LINE_EVERY_MS = 10_000

/**
 * Draws one live progress line from the queue's events; returns the function that stops drawing. Being
 * offline is told on stderr (a script's stdout stays results only): when it starts, every 10 s while it lasts
 * with the time to the next retry and the reason, and when uploads move again.
 */
export function showProgress(
  client: ContractClient,
  out: Output,
  stderr: Pick<NodeJS.WriteStream, 'write'> = process.stderr,
): () => void {
  const progress = new Map<number, { done: number; size: number }>()
  let rate = 0
  let eta: number | undefined
  const offProgress = client.on('queue:progress', (events) => {
    for (const e of events) progress.set(e.jobId, { done: e.bytesDone, size: e.size })
  })
  let offlineToldAt: number | undefined
  const toldCauses = new Set<string>()
  const offStatus = client.on('status:changed', (status) => {
    rate = status.bytesPerSecond
    eta = status.etaSeconds
    const news = newCauseLines(status, toldCauses)
    if (news.length > 0) out.endProgress()
    for (const line of news) stderr.write(`${line}\n`)
    if (status.state === 'offline') {
      if (offlineToldAt !== undefined && Date.now() - offlineToldAt < OFFLINE_LINE_EVERY_MS) return
      offlineToldAt = Date.now()
      out.endProgress()
      stderr.write(`${offlineLine(status)}\n`)
    } else if (offlineToldAt !== undefined && status.state !== 'paused') {
      offlineToldAt = undefined
      stderr.write('back online: uploads continue\n')
    }
  })
  const offJob = client.on('queue:jobs', (jobs) => {
    for (const job of jobs) {
      if (job.state === 'done') out.info(`uploaded ${job.key}`)
      if (job.state === 'failed') out.info(`FAILED ${job.key}: ${job.error?.message ?? ''}`)
      if (job.state !== 'running') progress.delete(job.id)
    }
  })
  let stopped = false
  // Redraws the line (speed and ETA change without an event); the status is asked through the contract.
  const draw = (status: StatusSummary) => {
    if (stopped) return
    let done = 0
    let size = 0
    for (const p of progress.values()) {
      done += p.done
      size += p.size
    }
    out.progress(
      `${progressBar(done, size, status.bytesPerSecond || rate, status.etaSeconds ?? eta)}  running ${status.running}, queued ${status.queued}`,
    )
  }
  const timer = setInterval(() => {
    void client.call('status:get').then(draw, () => {})
  }, 250)
  return () => {
    stopped = true
    clearInterval(timer)
    offProgress()
    offStatus()
    offJob()
    out.endProgress()
  }
}

/**
 * The causes that stop uploads and were not said yet (disk full, a held account, a missing folder), one line
 * each; `told` remembers them, and forgets those that are gone, so a cause that comes back is said again.
 * Being offline has its own line, and each failed upload is printed as it fails: those are not repeated.
 */
export function newCauseLines(status: StatusSummary, told: Set<string>): string[] {
  const shown = status.causes.filter(
    (cause) => cause.jobs === undefined && cause.message !== status.offlineReason,
  )
  const keys = shown.map((cause) => `${cause.code}\u0000${cause.message}\u0000${cause.folder ?? ''}`)
  for (const key of told) if (!keys.includes(key)) told.delete(key)
  return shown.flatMap((cause, i) => {
    const key = keys[i] as string
    if (told.has(key)) return []
    told.add(key)
    return [causeLine(cause)]
  })
}

/** `offline, retrying in 8 s: <why the last attempt failed>` */
export function offlineLine(status: StatusSummary, now = Date.now()): string {
  const at = status.retryAt ? Date.parse(status.retryAt) : Number.NaN
  const seconds = Number.isNaN(at) ? undefined : Math.ceil((at - now) / 1000)
  const when = seconds === undefined ? 'retrying' : seconds > 0 ? `retrying in ${seconds} s` : 'retrying now'
  return `offline, ${when}${status.offlineReason ? `: ${status.offlineReason}` : ''}`
}
