import type { AppServices } from '../../main/services'
import type { Envelope } from '../../preload/contract/envelope'
import type { Job } from '../../preload/contract/queue-models'

/** Calls a contract channel through the services' dispatch (as a shell does); a refusal fails the test. */
export async function ok<T>(s: AppServices, channel: string, ...args: unknown[]): Promise<T> {
  const answer = (await s.dispatch(channel, args)) as Envelope<T>
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`)
  return answer.value
}

/** Resolves with the first job sent in a `queue:jobs` event that satisfies `test` (event-driven, no polling). */
export function jobEvent(s: AppServices, test: (job: Job) => boolean): Promise<Job> {
  return new Promise((resolve) => {
    const off = s.bus.on('queue:jobs', (jobs) => {
      const job = jobs.find(test)
      if (!job) return
      off()
      resolve(job)
    })
  })
}
