import type { HandlerDeps, Handlers } from '../handlers'

type QueueChannels =
  | 'queue:enqueue'
  | 'queue:answer-clashes'
  | 'queue:page'
  | 'queue:counts'
  | 'queue:problem-groups'
  | 'queue:group-action'
  | 'queue:history'
  | 'queue:set-keep-done-days'
  | 'queue:request-limit'
  | 'queue:set-request-limit'
  | 'queue:pause'
  | 'queue:resume'
  | 'queue:cancel'
  | 'queue:retry'
  | 'queue:clear-finished'
  | 'queue:clear-failed'
  | 'status:get'
  | 'queue:wait'

export function queueHandlers({ queue }: HandlerDeps): Pick<Handlers, QueueChannels> {
  return {
    'queue:enqueue': (request) => queue.enqueue(request),
    'queue:answer-clashes': (answer) => queue.answerClashes(answer),
    'queue:page': async (request) => queue.page(request),
    'queue:counts': async (filter) => queue.counts(filter),
    'queue:problem-groups': async ({ jobIds }) => queue.problemGroups(jobIds),
    'queue:group-action': async (action) => {
      await queue.groupAction(action)
      return null
    },
    'queue:history': async () => queue.history(),
    'queue:set-keep-done-days': async (days) => queue.setKeepDoneDays(days),
    'queue:request-limit': async () => queue.requestLimit(),
    'queue:set-request-limit': async (requests) => queue.setRequestLimit(requests),
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
    'queue:clear-failed': async () => {
      queue.clearFailed()
      return null
    },
    'status:get': async () => queue.status(),
    'queue:wait': ({ jobIds, includePending }) =>
      // Jobs left by an earlier run that was killed are waited for too (they finish first, in order).
      queue.waitFor([...new Set([...(includePending ? queue.pendingIds() : []), ...jobIds])]),
  }
}
