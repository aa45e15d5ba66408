import type { HandlerDeps, Handlers } from '../handlers'

type SyncChannels =
  | 'sync:list'
  | 'sync:add'
  | 'sync:update'
  | 'sync:pause'
  | 'sync:resume'
  | 'sync:remove'
  | 'sync:confirm-deletions'
  | 'sync:remote-changes'
  | 'activity:recent'
  | 'sync:run-once'
  | 'sync:watch'
  | 'sync:problems'

export function syncHandlers({ sync, activity }: HandlerDeps): Pick<Handlers, SyncChannels> {
  return {
    'sync:list': async () => sync.list(),
    'sync:add': (input) => sync.add(input),
    'sync:update': (id, input) => sync.update(id, input),
    'sync:pause': async (id) => {
      await sync.pause(id)
      return null
    },
    'sync:resume': async (id) => {
      await sync.resume(id)
      return null
    },
    'sync:remove': async (id) => {
      await sync.remove(id)
      return null
    },
    'sync:confirm-deletions': async (id) => {
      await sync.confirmAndReconcile(id)
      return null
    },
    'sync:remote-changes': (id) => sync.remoteChanges(id),
    'activity:recent': async () => activity.recent(),
    'sync:run-once': (input) => sync.runOnce(input),
    'sync:watch': (input) => sync.watch(input),
    'sync:problems': async (id) => sync.problems(id),
  }
}
