import type { HandlerDeps, Handlers } from '../handlers'

export function storageHandlers({ storage }: HandlerDeps) {
  return {
    'storage:buckets': (accountId) => storage.buckets(accountId),
    'storage:list': (request) => storage.list(request),
    'storage:details': (ref) => storage.details(ref),
    'storage:bucket-encryption': (accountId, bucket) => storage.bucketEncryption(accountId, bucket),
    'storage:download': async (ref) => {
      const { path, size, verified } = await storage.download(ref)
      return { path, size, verified }
    },
    'storage:share': (ref) => storage.share(ref),
    'storage:restore': (request) => storage.restore(request),
    'storage:delete-plan': (request) => storage.deletePlan(request),
    'storage:delete': (request) => storage.delete(request),
    'storage:create-folder': (request) => storage.createFolder(request),
    'storage:create-bucket': (request) => storage.createBucket(request),
    'storage:set-bucket-encryption': (accountId, bucket, choice) =>
      storage.setBucketEncryption(accountId, bucket, choice),
    'storage:remove-bucket-encryption': (accountId, bucket) =>
      storage.removeBucketEncryption(accountId, bucket),
  } satisfies Partial<Handlers>
}
