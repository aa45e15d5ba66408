import { describe, expect, it } from 'vitest'
import { useAction } from '../../renderer/src/composables/use-action'
import { IpcCallError } from '../../renderer/src/ipc/client'

describe('useAction (every dialog and form around one call)', () => {
  it('is busy while the call runs and returns its value', async () => {
    const { busy, error, run } = useAction()
    let release: (v: number) => void = () => {}
    const pending = run(() => new Promise<number>((r) => (release = r)))
    expect(busy.value).toBe(true)
    release(7)
    expect(await pending).toBe(7)
    expect(busy.value).toBe(false)
    expect(error.value).toBeUndefined()
  })

  it('shows a failure as the error, ends busy, and clears the error on the next try', async () => {
    const { busy, error, run } = useAction()
    const failed = await run(() =>
      Promise.reject(new IpcCallError({ code: 'NOT_FOUND', message: 'No bucket "x".' })),
    )
    expect(failed).toBeUndefined()
    expect(busy.value).toBe(false)
    expect(error.value).toMatchObject({ code: 'NOT_FOUND', message: 'No bucket "x".' })
    await run(async () => 1)
    expect(error.value).toBeUndefined()
  })
})
