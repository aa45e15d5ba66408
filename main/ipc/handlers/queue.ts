import type { HandlerDeps, Handlers } from '../handlers'

type QueueChannels =
  | 'queue:enqueue'
  | 'queue:answer-clashes'
  | 'queue:list'
  | 'queue:pause'
  | 'queue:resume'
  | 'queue:cancel'
  | 'queue:retry'
  | 'queue:clear-finished'
  | 'status:get'
  | 'queue:wait'
  | 'queue:problems'

export function queueHandlers({ queue }: HandlerDeps): Pick<Handlers, QueueChannels> {
  return {
    'queue:enqueue': (request) => queue.enqueue(request),
    'queue:answer-clashes': (answer) => queue.answerClashes(answer),
    'queue:list': async () => queue.list(),
    'queue:pause': async (target) => {
      await queue.pause(target)
      return null
    },
    'queue:resume': async (target) => {
      await queue.resume(target)
      return null
    },
    'queue:cancel': async (target) => {
      await queue.cancel(target)
      return null
    },
    'queue:retry': async (target) => {
      await queue.retry(target)
      return null
    },
    'queue:clear-finished': async () => {
      queue.clearFinished()
      return null
    },
    'status:get': async () => queue.status(),
    'queue:wait': ({ jobIds, includePending }) =>
      // Jobs left by an earlier run that was killed are waited for too (they finish first, in order).
      queue.waitFor([...new Set([...(includePending ? queue.pendingIds() : []), ...jobIds])]),
    'queue:problems': async () => ({
      jobs: queue.withProblems(),
      counts: queue.counts(),
      heldAccounts: queue.heldAccounts(),
    }),
  }
}
