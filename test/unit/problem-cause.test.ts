import { describe, expect, it } from 'vitest'
import { causeMessage } from '../../main/core/queue/problem-cause'

describe('causeMessage: the per-file part of an error taken out', () => {
  it('takes out the job own source path, quoted or bare, and its quoted object key', () => {
    expect(causeMessage('"/home/u/a b.jpg" no longer exists.', '/home/u/a b.jpg', 'a b.jpg')).toBe(
      'The file no longer exists.',
    )
    expect(causeMessage('Upload of "2026/a.jpg" refused.', '/x/a.jpg', '2026/a.jpg')).toBe(
      'Upload of the file refused.',
    )
    expect(causeMessage('C:\\data\\a.txt cannot be read (EBUSY).', 'C:\\data\\a.txt', 'a.txt')).toBe(
      'The file cannot be read (EBUSY).',
    )
  })

  it('keeps what tells causes apart: other names, and a bare key that may be a word', () => {
    expect(causeMessage('KMS key "nokey-9" does not exist.', '/tmp/key', 'key')).toBe(
      'KMS key "nokey-9" does not exist.',
    )
    expect(causeMessage('"/other/file" no longer exists.', '/tmp/f1', 'k1')).toBe(
      '"/other/file" no longer exists.',
    )
    expect(causeMessage('', '/tmp/f1', 'k1')).toBe('')
  })
})
