import { describe, expect, it } from 'vitest'
import { listObjectPage, walkObjects } from '../../main/core/storage/browse'
import { ACCESS_DENIED, directListerOn, type Received } from '../support/recording-server'

/**
 * The listing page every upload of many files and every sync pass sends, signed and parsed by the app itself
 * (no SDK client): what goes out, and what is read from the answers S3 and OBS give. Against a real server on
 * loopback; the signature itself is checked by RGW in the integration tests (storage-browse).
 */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

const page = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</ListBucketResult>`

const listerAnswering = (answer: (request: Received) => string, pathStyle = false) =>
  directListerOn((request) => ({ statusCode: 200, body: answer(request) }), pathStyle)

const queryOf = (request: Received | undefined) => new URL(request?.path ?? '', 'http://x').searchParams

describe('the direct listing', () => {
  it('asks for one ListObjectsV2 page, virtual-hosted, signed, with prefix, delimiter, token and page size', async () => {
    const { requests, lister } = await listerAnswering(() => page('<IsTruncated>false</IsTruncated>'))
    await listObjectPage(lister, 'photos', {
      prefix: 'a b/ü+&=%/',
      delimiter: '/',
      continuationToken: 'tok/+=',
      pageSize: 50,
    })
    const request = requests[0]
    expect(request).toMatchObject({ method: 'GET', host: 'photos.obs.eu-de.example' })
    expect(request?.path?.split('?')[0]).toBe('/')
    expect(Object.fromEntries(queryOf(request))).toEqual({
      'list-type': '2',
      prefix: 'a b/ü+&=%/',
      delimiter: '/',
      'continuation-token': 'tok/+=',
      'max-keys': '50',
    })
    // Encoded as SigV4 signs it (RFC 3986: a space is %20, never +), or the server computes another signature.
    expect(request?.path).toContain('prefix=a%20b%2F%C3%BC%2B%26%3D%25%2F')
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/eu-de\/s3\/aws4_request, /,
    )
    expect(request?.headers['x-amz-content-sha256']).toBe(EMPTY_SHA256)
  })

  it('is path-style when asked, and never asks for more than 1,000 keys a page', async () => {
    const { requests, lister } = await listerAnswering(() => page(''), true)
    await listObjectPage(lister, 'photos', { pageSize: 5000 })
    expect(requests[0]).toMatchObject({ host: 'obs.eu-de.example' })
    expect(requests[0]?.path?.split('?')[0]).toBe('/photos')
    expect(queryOf(requests[0]).get('max-keys')).toBe('1000')
    expect(queryOf(requests[0]).has('prefix')).toBe(false)
  })

  it('reads objects, folders and the next token as the SDK does, entities decoded and spaces kept', async () => {
    const { lister } = await listerAnswering(() =>
      page(
        '<Name>photos</Name><Prefix>d/</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter>' +
          '<IsTruncated>true</IsTruncated><NextContinuationToken>next&amp;1</NextContinuationToken>' +
          '<Contents><Key>d/ a &amp; b &lt;c&gt; &#xE9;.txt </Key><LastModified>2026-11-30T10:00:00.000Z</LastModified>' +
          '<ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>' +
          '<Contents><Key>d/big.bin</Key><LastModified>2026-11-29T08:30:00Z</LastModified><ETag>"abc-2"</ETag>' +
          '<Size>5368709120</Size><StorageClass>COLD</StorageClass></Contents>' +
          '<CommonPrefixes><Prefix>d/sub/</Prefix></CommonPrefixes>',
      ),
    )
    expect(await listObjectPage(lister, 'photos', { prefix: 'd/', delimiter: '/' })).toEqual({
      prefix: 'd/',
      folders: ['d/sub/'],
      objects: [
        {
          key: 'd/ a & b <c> é.txt ',
          size: 3,
          lastModified: '2026-11-30T10:00:00.000Z',
          etag: '"0cc175b9c0f1b6a831c399e269772661"',
          storageClass: 'STANDARD',
        },
        {
          key: 'd/big.bin',
          size: 5368709120,
          lastModified: '2026-11-29T08:30:00.000Z',
          etag: '"abc-2"',
          storageClass: 'COLD',
        },
      ],
      nextToken: 'next&1',
    })
  })

  it('a single object or folder is one entry, an empty page none, and a last page has no token', async () => {
    const { lister } = await listerAnswering(() =>
      page(
        '<IsTruncated>false</IsTruncated><NextContinuationToken>stale</NextContinuationToken>' +
          '<Contents><Key>only.txt</Key><Size>0</Size></Contents><CommonPrefixes><Prefix>f/</Prefix></CommonPrefixes>',
      ),
    )
    expect(await listObjectPage(lister, 'b')).toEqual({
      prefix: '',
      folders: ['f/'],
      objects: [
        { key: 'only.txt', size: 0, lastModified: undefined, etag: undefined, storageClass: undefined },
      ],
      nextToken: undefined,
    })
    const empty = await listerAnswering(() => page('<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>'))
    expect(await listObjectPage(empty.lister, 'b')).toEqual({
      prefix: '',
      folders: [],
      objects: [],
      nextToken: undefined,
    })
  })

  it('walks every page with the token of the last one', async () => {
    const { requests, lister } = await listerAnswering((request) => {
      const token = queryOf(request).get('continuation-token')
      if (!token)
        return page(
          '<IsTruncated>true</IsTruncated><NextContinuationToken>p2</NextContinuationToken><Contents><Key>a</Key><Size>1</Size></Contents>',
        )
      return page('<IsTruncated>false</IsTruncated><Contents><Key>b</Key><Size>2</Size></Contents>')
    })
    const keys: string[] = []
    for await (const o of walkObjects(lister, 'b', 'x/')) keys.push(o.key)
    expect(keys).toEqual(['a', 'b'])
    expect(requests.map((r) => queryOf(r).get('continuation-token'))).toEqual([null, 'p2'])
  })

  it("a refusal is the server's reason, classified; an answer that is not a listing is an error, not an empty page", async () => {
    const denied = await directListerOn(() => ({ statusCode: 403, body: ACCESS_DENIED }), true)
    await expect(listObjectPage(denied.lister, 'b')).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    })
    const { lister } = await listerAnswering(() => '<html><body>captive portal</body></html>')
    await expect(listObjectPage(lister, 'b')).rejects.toThrow(/not a ListBucketResult/)
  })
})
