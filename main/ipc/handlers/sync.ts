import type { HandlerDeps, Handlers } from '../handlers'
import { command } from './command'

export function syncHandlers({ sync, activity }: HandlerDeps) {
  return {
    'sync:list': async () => sync.list(),
    'sync:add': (input) => sync.add(input),
    'sync:update': (id, input) => sync.update(id, input),
    'sync:pause': command((id) => sync.pause(id)),
    'sync:resume': command((id) => sync.resume(id)),
    'sync:remove': command((id) => sync.remove(id)),
    'sync:confirm-deletions': command((id) => sync.confirmAndReconcile(id)),
    'sync:remote-changes': (id) => sync.remoteChanges(id),
    'activity:recent': async () => activity.recent(),
    'sync:run-once': (input) => sync.runOnce(input),
    'sync:watch': (input) => sync.watch(input),
    'sync:problems': async (id) => sync.problems(id),
  } satisfies Partial<Handlers>
}
