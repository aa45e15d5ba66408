// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import type { DownloadBatch } from '../../preload/contract/download-models'
import DownloadBatchRow from '../../renderer/src/components/downloads/DownloadBatchRow.vue'
import { setLocale } from '../../renderer/src/i18n'
import { mountWithIpc, settle } from './renderer-fake-ipc'

/** A failed batch as main sends it: English sentences, with the code and the names they are worded around. */
function failedBatch(patch: Partial<DownloadBatch> = {}): DownloadBatch {
  return {
    id: 7,
    accountId: 'acc-1',
    bucket: 'photos',
    targetDir: '/home/ana/Downloads',
    keys: ['2024/'],
    state: 'failed',
    files: 2,
    filesDone: 0,
    filesSkipped: 0,
    filesFailed: 2,
    bytes: 0,
    bytesDone: 0,
    needsCustomerKey: 0,
    clashes: 0,
    clashExamples: [],
    failures: [
      {
        key: '2024/a.jpg',
        outcome: 'failed',
        error: {
          code: 'NOT_FOUND',
          message: 'There is no object "2024/a.jpg" in photos.',
          params: { key: '2024/a.jpg', bucket: 'photos' },
        },
      },
      {
        key: '2024/b.jpg',
        outcome: 'failed',
        error: {
          code: 'KMS_KEY_DISABLED',
          message: 'The KMS key "k-9" is disabled: enable it in the KMS console.',
          params: { kmsKey: 'k-9' },
        },
      },
    ],
    error: {
      code: 'ENDPOINT_UNREACHABLE',
      message: 'Cannot reach https://obs.example:9 (connection refused).',
      params: { endpoint: 'https://obs.example:9' },
    },
    createdAt: '2026-11-30T12:00:00.000Z',
    ...patch,
  }
}

describe('a download batch row', () => {
  afterEach(() => {
    setLocale('en')
    document.body.innerHTML = ''
  })

  it('words the batch error and each failure in the window language, not main English', async () => {
    setLocale('de')
    const { wrapper } = mountWithIpc(DownloadBatchRow, { props: { batch: failedBatch() } })
    await settle()
    const error = wrapper.get('[data-testid="download-error"]')
    expect(error.find('span').text()).toBe('Der Endpunkt https://obs.example:9 ist nicht erreichbar.')
    // Main's English stays readable, apart, for a support request.
    expect(error.find('details [lang="en"]').text()).toBe(
      'Cannot reach https://obs.example:9 (connection refused).',
    )
    const failures = wrapper.get('[data-testid="download-failures"]').findAll('li')
    expect(failures.map((li) => li.text())).toEqual([
      expect.stringContaining('Das Objekt „2024/a.jpg“ gibt es in „photos“ nicht.'),
      expect.stringContaining('k-9'),
    ])
    expect(failures[1]?.text()).not.toContain('is disabled')
  })

  it('words them in Chinese too, and in English keeps main own sentence', async () => {
    setLocale('zh-CN')
    const { wrapper } = mountWithIpc(DownloadBatchRow, { props: { batch: failedBatch() } })
    await settle()
    const first = wrapper.get('[data-testid="download-failures"] li').text()
    expect(first).toContain('2024/a.jpg')
    expect(first).not.toContain('There is no object')
    expect(first).toMatch(/[\u4e00-\u9fff]/)
    setLocale('en')
    await settle()
    expect(wrapper.get('[data-testid="download-failures"] li').text()).toContain(
      'There is no object "2024/a.jpg" in photos.',
    )
    expect(wrapper.get('[data-testid="download-error"]').text()).toContain(
      'Cannot reach https://obs.example:9',
    )
  })

  it('shows no error block for a batch without one', async () => {
    const { wrapper } = mountWithIpc(DownloadBatchRow, {
      props: { batch: failedBatch({ state: 'done', error: undefined, failures: [], filesFailed: 0 }) },
    })
    await settle()
    expect(wrapper.find('[data-testid="download-error"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="download-failures"]').exists()).toBe(false)
  })
})
