import { describe, expect, it } from 'vitest'
import { listObjectPage } from '../../main/core/storage/browse'
import { withListingAhead } from '../../main/core/storage/listing-ahead'
import { ACCESS_DENIED, directListerOn, type Received } from '../support/recording-server'

/**
 * The listing an upload of a folder asks for ahead (sent while the folder is walked), on the app's real direct
 * listing and a real server on loopback: sent at once, used once by the listing that asks for exactly it.
 */
const page = (keys: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>${keys.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('')}<IsTruncated>false</IsTruncated></ListBucketResult>`
const prefixOf = (request: Received) => new URL(request.path ?? '', 'http://x').searchParams.get('prefix')

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('a listing asked for ahead of need', () => {
  it('goes out at once; the listing that asks for it gets its answer without a request of its own, once', async () => {
    const { requests, lister } = await directListerOn((request) => ({
      statusCode: 200,
      body: page([`${prefixOf(request)}a.jpg`]),
    }))
    const ahead = withListingAhead(lister, 'photos', { prefix: 'trip/' })
    await until(() => requests.length === 1)
    expect(prefixOf(requests[0]!)).toBe('trip/')

    const first = await listObjectPage(ahead, 'photos', { prefix: 'trip/' })
    expect(first.objects.map((o) => o.key)).toEqual(['trip/a.jpg'])
    expect(requests).toHaveLength(1)
    // Any other listing, and the same one asked again, goes out as usual.
    await listObjectPage(ahead, 'photos', { prefix: 'trip/day1/' })
    await listObjectPage(ahead, 'photos', { prefix: 'trip/' })
    expect(requests.map(prefixOf)).toEqual(['trip/', 'trip/day1/', 'trip/'])
  })

  it('a refusal reaches the listing that asks for it; one never asked for is dropped without a trace', async () => {
    const { requests, lister } = await directListerOn(() => ({ statusCode: 403, body: ACCESS_DENIED }))
    const asked = withListingAhead(lister, 'photos', { prefix: 'trip/' })
    withListingAhead(lister, 'photos', { prefix: 'never-asked/' })
    await until(() => requests.length === 2)
    await expect(listObjectPage(asked, 'photos', { prefix: 'trip/' })).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    })
    // The unasked refusal has arrived by now; an unhandled rejection would fail this test run.
    await new Promise((r) => setTimeout(r, 50))
    expect(requests).toHaveLength(2)
  })
})
