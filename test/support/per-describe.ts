import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll } from 'vitest'
import { bucketName, createBucket } from './s3'
import type { RgwEnv } from './services'

/** A fresh bucket for the tests of a describe: its name at once, the bucket itself made before the first test. */
export function bucketForDescribe(rgw: RgwEnv, prefix: string): string {
  const bucket = bucketName(prefix)
  beforeAll(() => createBucket(rgw, bucket))
  return bucket
}

/** A fresh, empty temp folder for the tests of a describe, made before the first test. */
export function folderForDescribe(prefix: string): string {
  const dir = join(tmpdir(), bucketName(prefix))
  beforeAll(() => mkdir(dir))
  return dir
}
