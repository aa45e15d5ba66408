import { ContractError } from '../ipc/contract-client'

/** `bucket/some/key` -> bucket and key (the key may be empty or end in `/` for a folder). */
export function splitBucketPath(path: string): { bucket: string; key: string } {
  const trimmed = path.replace(/^s3:\/\//, '')
  const slash = trimmed.indexOf('/')
  const bucket = slash < 0 ? trimmed : trimmed.slice(0, slash)
  const key = slash < 0 ? '' : trimmed.slice(slash + 1)
  if (!bucket) throw new ContractError('INVALID_ARGUMENT', `"${path}" does not name a bucket (bucket/key).`)
  return { bucket, key }
}
