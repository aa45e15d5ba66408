import { parseXML } from '@aws-sdk/xml-builder'
import type { ObjectPage } from '../../../preload/contract/models'
import type { SendSigned } from './signed-request'

export interface ListObjectsInput {
  bucket: string
  prefix?: string
  /** `/` lists one folder level; undefined lists every object under the prefix (a flat, recursive walk). */
  delimiter?: string
  continuationToken?: string
  /** At most 1000 (the S3 limit). */
  maxKeys: number
}

export type ListObjects = (input: ListObjectsInput) => Promise<ObjectPage>

/** The parsed document's text fields; an element that occurs once is an object, several times an array. */
type XmlValue = string | XmlElement | XmlValue[] | undefined
interface XmlElement {
  [name: string]: XmlValue
}

const asList = (value: XmlValue): XmlValue[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]
const textOf = (value: XmlValue): string | undefined => (typeof value === 'string' ? value : undefined)
const fieldOf = (value: XmlValue, name: string): string | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? textOf(value[name]) : undefined

/**
 * One ListObjectsV2 page as a signed GET (signed-request.ts), parsed with the SDK's own XML parser: the listing
 * that every upload of many files sends first (the clash check) and every sync pass, without loading the SDK's S3
 * client. The page is read as the SDK reads it (keys, sizes, times, ETags and storage classes as given; an
 * element without a key is skipped) and returned in the contract's shape.
 */
export function createDirectList(sendSigned: SendSigned): ListObjects {
  return async (input) => {
    const query: Record<string, string> = { 'list-type': '2', 'max-keys': String(input.maxKeys) }
    if (input.prefix) query.prefix = input.prefix
    if (input.delimiter !== undefined) query.delimiter = input.delimiter
    if (input.continuationToken !== undefined) query['continuation-token'] = input.continuationToken
    const answer = await sendSigned({ method: 'GET', bucket: input.bucket, query, headers: {} })
    const result = (parseXML(answer.text) as XmlElement).ListBucketResult
    if (!result || typeof result !== 'object' || Array.isArray(result))
      throw new Error(`The server's answer to a listing of "${input.bucket}" is not a ListBucketResult.`)
    const lastModified = (value: string | undefined) =>
      value === undefined ? undefined : new Date(value).toISOString()
    return {
      prefix: input.prefix ?? '',
      folders: asList(result.CommonPrefixes).flatMap((p) => {
        const prefix = fieldOf(p, 'Prefix')
        return prefix ? [prefix] : []
      }),
      objects: asList(result.Contents).flatMap((o) => {
        const key = fieldOf(o, 'Key')
        if (key === undefined) return []
        return [
          {
            key,
            size: Number(fieldOf(o, 'Size') ?? 0),
            lastModified: lastModified(fieldOf(o, 'LastModified')),
            etag: fieldOf(o, 'ETag'),
            storageClass: fieldOf(o, 'StorageClass'),
          },
        ]
      }),
      nextToken: textOf(result.IsTruncated) === 'true' ? textOf(result.NextContinuationToken) : undefined,
    }
  }
}
