// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import CustomerKeysSection from '../../renderer/src/components/accounts/CustomerKeysSection.vue'
import { createFakeIpc, type FakeIpc, mountWithIpc, settle } from './renderer-fake-ipc'

const KEY = 'q2Jf3w0Sx0m7nXJmQ0F2Q3hYdGx2b2dQbkV6aU1sZHc='

describe('customer keys of an account (SSE-C backup: export, import, delete)', () => {
  let ipc: FakeIpc
  let stored: string[]
  beforeEach(() => {
    stored = ['personal']
    ipc = createFakeIpc()
      .answer('sse-c:list', () => [...stored])
      .answer('sse-c:export', () => KEY)
      .answer('sse-c:delete', (_id, name) => {
        stored = stored.filter((n) => n !== name)
        return null
      })
      .answer('sse-c:import', (_id, name) => {
        stored.push(name)
        return null
      })
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })
  const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)

  async function open() {
    const { wrapper } = mountWithIpc(CustomerKeysSection, { ipc, props: { accountId: 'acc-1' } })
    await settle()
    return wrapper
  }

  it('shows a key only after a warning and on request, and hides it again', async () => {
    const wrapper = await open()
    expect(byTestId('customer-key')?.textContent).toContain('personal')
    await wrapper.get('[data-testid="customer-key-export"]').trigger('click')
    expect(byTestId('customer-key-export-box')?.textContent).toContain(
      'Anyone with this text can read every object',
    )
    expect(ipc.callsTo('sse-c:export')).toHaveLength(0) // not fetched before the user asks to see it
    await wrapper.get('[data-testid="customer-key-show"]').trigger('click')
    await settle()
    expect(ipc.callsTo('sse-c:export')).toEqual([['acc-1', 'personal']])
    expect((byTestId('customer-key-exported') as HTMLInputElement).value).toBe(KEY)
    await wrapper.get('[data-testid="customer-key-hide"]').trigger('click')
    expect(byTestId('customer-key-exported')).toBeNull()
    expect(document.body.textContent).not.toContain(KEY)
  })

  it('deletes only after saying what becomes unreadable', async () => {
    const wrapper = await open()
    await wrapper.get('[data-testid="customer-key-delete"]').trigger('click')
    expect(ipc.callsTo('sse-c:delete')).toHaveLength(0)
    expect(byTestId('customer-key-delete-box')?.textContent).toContain('become unreadable here')
    await wrapper.get('[data-testid="customer-key-delete-confirm"]').trigger('click')
    await settle()
    expect(ipc.callsTo('sse-c:delete')).toEqual([['acc-1', 'personal']])
    expect(byTestId('customer-key')).toBeNull()
  })

  it('imports a key; a refused one shows why and keeps what was typed', async () => {
    ipc.fail(
      'sse-c:import',
      'INVALID_ARGUMENT',
      'An SSE-C key is 256 bits (32 bytes, 44 base64 characters); this one is 16 bytes.',
    )
    const wrapper = await open()
    await wrapper.get('[data-testid="customer-key-import-name"]').setValue('laptop')
    await wrapper.get('[data-testid="customer-key-import-key"]').setValue('c2hvcnQga2V5IG9mIDE2IGI=')
    expect(wrapper.get('[data-testid="customer-key-import-key"]').attributes('type')).toBe('password')
    await wrapper.get('[data-testid="customer-key-import"]').trigger('submit')
    await settle()
    expect(byTestId('customer-keys-error')?.textContent).toContain('this one is 16 bytes')
    expect((byTestId('customer-key-import-name') as HTMLInputElement).value).toBe('laptop')

    ipc.answer('sse-c:import', (_id, name) => {
      stored.push(name)
      return null
    })
    await wrapper.get('[data-testid="customer-key-import-key"]').setValue(KEY)
    await wrapper.get('[data-testid="customer-key-import"]').trigger('submit')
    await settle()
    expect(ipc.callsTo('sse-c:import').at(-1)).toEqual(['acc-1', 'laptop', KEY])
    expect(byTestId('customer-key-imported')?.textContent).toContain('"laptop" was imported')
    expect([...document.querySelectorAll('[data-testid="customer-key"]')].map((e) => e.textContent)).toEqual(
      expect.arrayContaining([expect.stringContaining('laptop')]),
    )
    expect((byTestId('customer-key-import-key') as HTMLInputElement).value).toBe('')
  })
})
