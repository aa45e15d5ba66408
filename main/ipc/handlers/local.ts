import type { HandlerDeps, Handlers } from '../handlers'

export function localHandlers({ folders, pickFolder }: HandlerDeps) {
  return {
    'local:folders': (request) => folders.list(request.path),
    'local:pick-folder': async (request) => {
      // Only the desktop app has a native dialog; a browser is told to show the in-page picker instead.
      if (!pickFolder) return { kind: 'in-page' }
      const path = await pickFolder(request)
      return path ? { kind: 'picked', path } : { kind: 'cancelled' }
    },
  } satisfies Partial<Handlers>
}
