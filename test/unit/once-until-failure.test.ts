import { describe, expect, it } from 'vitest'
import { onceUntilFailure } from '../../main/core/once-until-failure'

describe('onceUntilFailure', () => {
  it('starts the work once and hands every caller the same result', async () => {
    let starts = 0
    const open = onceUntilFailure(async () => ({ client: ++starts }))
    const [a, b] = await Promise.all([open(), open()])
    expect(await open()).toBe(a)
    expect(b).toBe(a)
    expect(starts).toBe(1)
  })

  it('starts again after a failure, so a cause that is gone (a locked keychain) does not stick', async () => {
    let starts = 0
    const open = onceUntilFailure(async () => {
      starts++
      if (starts === 1) throw new Error('keychain locked')
      return 'ready'
    })
    await expect(open()).rejects.toThrow('keychain locked')
    expect(await open()).toBe('ready')
    expect(await open()).toBe('ready')
    expect(starts).toBe(2)
  })
})
