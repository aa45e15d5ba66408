import type { HandlerDeps, Handlers } from '../handlers'

type DownloadChannels =
  | 'downloads:start'
  | 'downloads:list'
  | 'downloads:pause'
  | 'downloads:resume'
  | 'downloads:cancel'
  | 'downloads:answer'
  | 'downloads:clear-finished'

export function downloadHandlers({ downloads }: HandlerDeps): Pick<Handlers, DownloadChannels> {
  return {
    'downloads:start': (request) => downloads.start(request),
    'downloads:list': async () => downloads.list(),
    'downloads:pause': async (id) => {
      downloads.pause(id)
      return null
    },
    'downloads:resume': async (id) => {
      downloads.resume(id)
      return null
    },
    'downloads:cancel': async (id) => {
      downloads.cancel(id)
      return null
    },
    'downloads:answer': (id, answer) => downloads.answer(id, answer),
    'downloads:clear-finished': async () => {
      downloads.clearFinished()
      return null
    },
  }
}
