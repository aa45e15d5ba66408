import type { HandlerDeps, Handlers } from '../handlers'
import { command } from './command'

export function queueHandlers({ queue }: HandlerDeps) {
  return {
    'queue:enqueue': (request) => queue.enqueue(request),
    'queue:answer-clashes': (answer) => queue.answerClashes(answer),
    'queue:page': async (request) => queue.page(request),
    'queue:counts': async (filter) => queue.counts(filter),
    'queue:problem-groups': async ({ jobIds, ...scope }) => queue.problemGroups(jobIds, scope),
    'queue:group-action': command((action) => queue.groupAction(action)),
    'queue:history': async (scope) => queue.history(scope),
    'queue:set-keep-done-days': async (days) => queue.setKeepDoneDays(days),
    'queue:request-limit': async () => queue.requestLimit(),
    'queue:set-request-limit': async (requests) => queue.setRequestLimit(requests),
    'queue:bandwidth-limit': async () => queue.bandwidthLimit(),
    'queue:set-bandwidth-limit': async (kibPerSecond) => queue.setBandwidthLimit(kibPerSecond),
    'queue:pause': command((target) => queue.pause(target)),
    'queue:resume': command((target) => queue.resume(target)),
    'queue:cancel': command((target) => queue.cancel(target)),
    'queue:retry': command((target) => queue.retry(target)),
    'queue:clear-finished': command((scope) => queue.clearFinished(scope)),
    'queue:clear-failed': command((scope) => queue.clearFailed(scope)),
    'status:get': async () => queue.status(),
    'queue:wait': async ({ jobIds, includePending }) => {
      // Jobs left by an earlier run that was killed are waited for too (they finish first, in order).
      await queue.whenEnded([...new Set([...(includePending ? queue.pendingIds() : []), ...jobIds])])
      return queue.outcomeOf(jobIds)
    },
  } satisfies Partial<Handlers>
}
