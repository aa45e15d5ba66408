/// <reference path="../../renderer/env.d.ts" />
import { mount } from '@vue/test-utils'
import { createPinia, type Pinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach } from 'vitest'
import { type Component, createApp } from 'vue'
import { createEventBus } from '../../main/core/events/event-bus'
import type { ChannelArgs, ChannelName, ChannelResult } from '../../preload/contract/channels'
import type { ErrorCode } from '../../preload/contract/errors'
import type { EventName, EventPayload } from '../../preload/contract/events'
import { i18n } from '../../renderer/src/i18n'
import { IpcCallError, type IpcClient } from '../../renderer/src/ipc/client'
import { ipcKey } from '../../renderer/src/ipc/inject'

type Handler<C extends ChannelName> = (
  ...args: ChannelArgs<C>
) => ChannelResult<C> | Promise<ChannelResult<C>>

/**
 * A fake of the renderer's IPC client for store and component tests: answers per channel, failures with a code,
 * events pushed on demand, and a record of every call. A channel without an answer fails the way main does for
 * an unknown one, so a test notices calls it did not expect.
 */
export interface FakeIpc extends IpcClient {
  answer<C extends ChannelName>(channel: C, handler: Handler<C>): FakeIpc
  fail(channel: ChannelName, code: ErrorCode, message?: string): FakeIpc
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  calls: { channel: ChannelName; args: unknown[] }[]
  callsTo<C extends ChannelName>(channel: C): ChannelArgs<C>[]
  listenerCount(event: EventName): number
}

export function createFakeIpc(): FakeIpc {
  const handlers = new Map<ChannelName, (...args: unknown[]) => unknown>()
  // The real bus main uses; a listener that throws fails the emitting test instead of being logged.
  const bus = createEventBus<Record<EventName, unknown>>((error) => {
    throw error
  })
  const subscriptions = new Set<{ event: EventName }>()
  const calls: { channel: ChannelName; args: unknown[] }[] = []

  const fake: FakeIpc = {
    calls,
    answer(channel, handler) {
      handlers.set(channel, handler as (...args: unknown[]) => unknown)
      return fake
    },
    fail(channel, code, message = `Failure of ${channel} for the test.`) {
      handlers.set(channel, () => {
        throw new IpcCallError({ code, message })
      })
      return fake
    },
    async call(channel, ...args) {
      calls.push({ channel, args })
      const handler = handlers.get(channel)
      if (!handler)
        throw new IpcCallError({ code: 'UNKNOWN_CHANNEL', message: `There is no channel "${channel}".` })
      return (await handler(...args)) as never
    },
    on(event, listener) {
      const subscription = { event }
      subscriptions.add(subscription)
      const off = bus.on(event, listener as (payload: unknown) => void)
      return () => {
        subscriptions.delete(subscription)
        off()
      }
    },
    emit(event, payload) {
      bus.emit(event, payload)
    },
    callsTo(channel) {
      return calls.filter((c) => c.channel === channel).map((c) => c.args) as never
    },
    listenerCount(event) {
      return [...subscriptions].filter((s) => s.event === event).length
    },
  }
  return fake
}

/** A Pinia bound to an app that provides the fake client, so that stores can be used without a component. */
export function storeHarness(ipc: FakeIpc = createFakeIpc()): { ipc: FakeIpc; pinia: Pinia } {
  const pinia = createPinia()
  const app = createApp({ render: () => null })
  app.use(pinia)
  app.provide(ipcKey, ipc)
  setActivePinia(pinia)
  return { ipc, pinia }
}

/** Mounts a component with Pinia and the fake client, attached to the document (focus and dialogs need it). */
export function mountWithIpc<T extends Component>(
  component: T,
  options: { ipc?: FakeIpc; props?: Record<string, unknown>; pinia?: Pinia } = {},
) {
  const ipc = options.ipc ?? createFakeIpc()
  const pinia = options.pinia ?? storeHarness(ipc).pinia
  const wrapper = mount(component as never, {
    props: options.props as never,
    attachTo: document.body,
    global: { plugins: [pinia, i18n], provide: { [ipcKey as symbol]: ipc } },
  })
  return { wrapper, ipc, pinia }
}

/** The element with this data-testid, if any. */
export const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)

/** Types `value` into the input with this data-testid, as a user would (an input event), and lets it settle. */
export async function typeInto(id: string, value: string): Promise<void> {
  const el = $(id) as HTMLInputElement
  el.value = value
  el.dispatchEvent(new Event('input'))
  await settle()
}

/** Lets pending promises and Vue's update queue settle. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

/** Gives every element a layout height, since happy-dom has no layout (the virtualizer reads clientHeight). */
export function fakeLayout(height = 600, width = 1000): () => void {
  const proto = HTMLElement.prototype
  const before = {
    h: Object.getOwnPropertyDescriptor(proto, 'clientHeight'),
    w: Object.getOwnPropertyDescriptor(proto, 'clientWidth'),
  }
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => height })
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => width })
  return () => {
    if (before.h) Object.defineProperty(proto, 'clientHeight', before.h)
    if (before.w) Object.defineProperty(proto, 'clientWidth', before.w)
  }
}

/**
 * For a describe of component tests that need a layout: before each test a fake layout `height` px tall and a
 * fresh fake IPC handed to `onEach` (to keep it and answer the channels all its tests use); after each test the
 * layout is restored and the page emptied.
 */
export function withFakeIpcAndLayout(height: number, onEach: (ipc: FakeIpc) => void): void {
  let restoreLayout = () => {}
  beforeEach(() => {
    restoreLayout = fakeLayout(height)
    onEach(createFakeIpc())
  })
  afterEach(() => {
    restoreLayout()
    document.body.innerHTML = ''
  })
}
