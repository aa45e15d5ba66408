import { describe, expect, it } from 'vitest'
import { parseRate, rateText } from '../../preload/contract/rate-text'

/**
 * An upload limit as people type it, read the same in the Transfers view and on the command line. Found by an
 * outside review: "1,000" was read as 1 KB/s (a thousands separator taken for a decimal one), without a word.
 */
describe('reading a typed upload limit (rate-text.ts)', () => {
  it.each([
    ['512', 512],
    ['512 KB/s', 512],
    ['5M', 5120],
    ['5 MB/s', 5120],
    ['5mb', 5120],
    ['5 MiB/s', 5120],
    ['1,5 MB/s', 1536],
    ['1.5M', 1536],
    ['0.125 MB/s', 128],
    ['.5 MB/s', 512],
    ['5. MB/s', 5120],
    ['５ MB/s', 5120],
    ['+5 MB/s', 5120],
    ['2 GB/s', 2 * 1024 * 1024],
    [' 7 MiB/s ', 7168],
  ])('%j is %d KiB/s', (typed, kib) => {
    expect(parseRate(typed)).toEqual({ ok: true, kibPerSecond: kib })
  })

  it('none, off and unlimited (and the caller’s own word) mean no limit', () => {
    for (const typed of ['none', 'OFF', 'Unlimited'])
      expect(parseRate(typed)).toEqual({ ok: true, kibPerSecond: null })
    expect(parseRate('keins', ['keins'])).toEqual({ ok: true, kibPerSecond: null })
    expect(parseRate('keins')).toEqual({ ok: false, reason: 'notARate' })
  })

  it.each([
    ['1,000', 'grouped'],
    ['10,000 KB/s', 'grouped'],
    ['1.000', 'grouped'],
    ['2.500 MB/s', 'grouped'],
    ['2.5', 'fraction'],
    ['2.5 KB/s', 'fraction'],
    ['0', 'tooLow'],
    ['-3 MB/s', 'tooLow'],
    ['0.0001 MB/s', 'tooLow'],
    ['20 GB/s', 'tooHigh'],
    ['99999999999999999999', 'tooHigh'],
    ['fast', 'notARate'],
    ['5 Mbit/s', 'notARate'],
    ['5 Mbps', 'notARate'],
    ['5 TB/s', 'notARate'],
    ['MB/s', 'notARate'],
    ['1e3', 'notARate'],
    ['∞', 'notARate'],
    ['', 'notARate'],
  ])('%j is refused: %s', (typed, reason) => {
    expect(parseRate(typed)).toEqual({ ok: false, reason })
  })

  it('writes a limit back as the largest whole unit', () => {
    expect([rateText(5 * 1024 * 1024), rateText(5120), rateText(1536), rateText(1)]).toEqual([
      '5 GB/s',
      '5 MB/s',
      '1536 KB/s',
      '1 KB/s',
    ])
  })
})
