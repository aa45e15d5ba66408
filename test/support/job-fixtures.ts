import type { NewJob } from '../../main/core/queue/job-store'

/** A minimal job for job-store tests: target key `k<i>`, source `/tmp/f<i>`, no encryption. */
export const testJob = (i: number): NewJob => ({
  accountId: 'a',
  bucket: 'b',
  key: `k${i}`,
  sourcePath: `/tmp/f${i}`,
  size: 1,
  mtimeMs: 1,
  encryption: { choice: { mode: 'none' }, source: 'explicit' } as never,
  origin: 'manual',
})
