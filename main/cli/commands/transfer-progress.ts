import type { AppServices } from '../../services'
import { type Output, progressBar } from '../output'

/** Draws one live progress line from the queue's events; returns the function that stops drawing. */
export function showProgress(services: AppServices, out: Output): () => void {
  const progress = new Map<number, { done: number; size: number }>()
  let rate = 0
  let eta: number | undefined
  const offProgress = services.bus.on('queue:progress', (events) => {
    for (const e of events) progress.set(e.jobId, { done: e.bytesDone, size: e.size })
  })
  const offStatus = services.bus.on('status:changed', (status) => {
    rate = status.bytesPerSecond
    eta = status.etaSeconds
  })
  const offJob = services.bus.on('queue:job', (job) => {
    if (job.state === 'done') out.info(`uploaded ${job.key}`)
    if (job.state === 'failed') out.info(`FAILED ${job.key}: ${job.error?.message ?? ''}`)
    if (job.state !== 'running') progress.delete(job.id)
  })
  const timer = setInterval(() => {
    const status = services.queue.status()
    let done = 0
    let size = 0
    for (const p of progress.values()) {
      done += p.done
      size += p.size
    }
    out.progress(
      `${progressBar(done, size, status.bytesPerSecond || rate, status.etaSeconds ?? eta)}  running ${status.running}, queued ${status.queued}`,
    )
  }, 250)
  return () => {
    clearInterval(timer)
    offProgress()
    offStatus()
    offJob()
    out.endProgress()
  }
}
