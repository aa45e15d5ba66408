import type { HandlerDeps, Handlers } from '../handlers'
import { command } from './command'

export function downloadHandlers({ downloads }: HandlerDeps) {
  return {
    'downloads:start': (request) => downloads.start(request),
    'downloads:list': async () => downloads.list(),
    'downloads:pause': command((id) => downloads.pause(id)),
    'downloads:resume': command((id) => downloads.resume(id)),
    'downloads:cancel': command((id) => downloads.cancel(id)),
    'downloads:answer': (id, answer) => downloads.answer(id, answer),
    'downloads:clear-finished': command(() => downloads.clearFinished()),
  } satisfies Partial<Handlers>
}
