import { createHash } from 'node:crypto'
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { expect } from 'vitest'
import { independentClient, objectBytes } from './s3'
import type { RgwEnv } from './services'

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

/**
 * Reads back with the independent client what the app stored under `prefix`: exactly the names of `hashes` (no
 * object missing, none extra), each encrypted with SSE-KMS under `kmsKeyId` and holding the bytes of its SHA-256.
 */
export async function expectStoredExactly(
  rgw: RgwEnv,
  target: { bucket: string; prefix: string; kmsKeyId: string },
  hashes: Map<string, string>,
): Promise<void> {
  const { bucket, prefix } = target
  const reader = independentClient(rgw)
  const listed = await reader.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
  expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
    [...hashes.keys()].map((name) => prefix + name).sort(),
  )
  for (const [name, hash] of hashes) {
    const head = await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: prefix + name }))
    expect(head.ServerSideEncryption).toBe('aws:kms')
    expect(head.SSEKMSKeyId).toBe(target.kmsKeyId)
    expect(sha256(await objectBytes(rgw, bucket, prefix + name))).toBe(hash)
  }
}
