import { type ListOptions, type ObjectLister, pageRequest } from './browse'

/**
 * A lister whose first page of one listing is asked for now, ahead of need: an upload of a folder sends it while
 * it walks the folder, and the check of which objects already exist, which lists that folder a moment later,
 * gets that answer (or its error) instead of waiting a round trip for it. Served once, and only for exactly that
 * request (same bucket, prefix and page); any other listing goes out as usual. An answer never asked for is
 * dropped, its error too.
 */
export function withListingAhead(lister: ObjectLister, bucket: string, options: ListOptions): ObjectLister {
  const request = pageRequest(bucket, options)
  const asked = JSON.stringify(request)
  let ahead: ReturnType<ObjectLister['listObjects']> | undefined = lister.listObjects(request)
  ahead.catch(() => {})
  return {
    listObjects(input) {
      if (!ahead || JSON.stringify(input) !== asked) return lister.listObjects(input)
      const answer = ahead
      ahead = undefined
      return answer
    },
  }
}
