import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { DownloadBatch } from '../../../preload/contract/download-models'
import type { ContractClient } from '../../ipc/contract-client'
import { accountId, type CliContext, usageError } from '../context'
import { ON_EXISTS_OPTION, parseOnExists } from '../on-exists-option'
import { formatBytes, type Output, progressBar } from '../output'

interface GetOptions {
  account?: string
  sseCKey?: string[]
  onExists: string
}

/** `bucket/key`, `bucket/folder/`, `bucket` -> the bucket and the key or prefix ('' = everything). */
function splitSource(source: string): { bucket: string; key: string } {
  const slash = source.indexOf('/')
  const bucket = slash < 0 ? source : source.slice(0, slash)
  if (!bucket) throw usageError(`"${source}" does not start with a bucket name.`)
  return { bucket, key: slash < 0 ? '' : source.slice(slash + 1) }
}

const FINAL: ReadonlySet<DownloadBatch['state']> = new Set(['done', 'failed', 'cancelled', 'waiting'])

/** Waits for the batches through the contract's events, drawing one progress line; returns their last state. */
function follow(client: ContractClient, out: Output, ids: number[]): Promise<DownloadBatch[]> {
  const last = new Map<number, DownloadBatch>()
  const progress = new Map<number, { done: number; bytes: number; rate: number; eta?: number }>()
  return new Promise((settle) => {
    const offProgress = client.on('downloads:progress', (events) => {
      for (const e of events) {
        progress.set(e.batchId, {
          done: e.bytesDone,
          bytes: e.bytes,
          rate: e.bytesPerSecond,
          eta: e.etaSeconds,
        })
      }
      let done = 0
      let bytes = 0
      let rate = 0
      for (const p of progress.values()) {
        done += p.done
        bytes += p.bytes
        rate += p.rate
      }
      const eta = rate > 0 ? Math.ceil((bytes - done) / rate) : undefined
      out.progress(progressBar(done, bytes, rate, eta))
    })
    const check = () => {
      if (ids.every((id) => FINAL.has(last.get(id)?.state ?? 'listing'))) {
        offBatch()
        offProgress()
        out.endProgress()
        settle(ids.map((id) => last.get(id) as DownloadBatch))
      }
    }
    const offBatch = client.on('downloads:batch', (batch) => {
      if (!ids.includes(batch.id)) return
      last.set(batch.id, batch)
      check()
    })
    void client.call('downloads:list').then((batches) => {
      for (const b of batches) if (ids.includes(b.id) && !last.has(b.id)) last.set(b.id, b)
      check()
    })
  })
}

function summaryLine(batches: DownloadBatch[]): string {
  const sum = (pick: (b: DownloadBatch) => number) => batches.reduce((n, b) => n + pick(b), 0)
  const parts = [`${sum((b) => b.filesDone)} downloaded (${formatBytes(sum((b) => b.bytesDone))})`]
  if (sum((b) => b.filesSkipped)) parts.push(`${sum((b) => b.filesSkipped)} skipped (already there)`)
  if (sum((b) => b.filesFailed)) parts.push(`${sum((b) => b.filesFailed)} failed`)
  if (sum((b) => b.needsCustomerKey)) parts.push(`${sum((b) => b.needsCustomerKey)} need an SSE-C key`)
  return `${parts.join(', ')}.`
}

export function registerGetCommand(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('get <sources...>')
    .usage('[options] <bucket/key-or-folder/...> <dir>')
    .description('download objects and folders (bucket/key, bucket/folder/, bucket) into a local folder')
    .option('--account <name>', 'account (default: the only one)')
    .option(
      '--sse-c-key <name>',
      'SSE-C customer key to read SSE-C objects with (repeatable; each is tried on the objects that need one)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(...ON_EXISTS_OPTION)
    .action((sources: string[], options: GetOptions) =>
      run(async ({ client, out }) => {
        if (sources.length < 2) {
          throw usageError('Name what to download and the folder to put it in.')
        }
        const targetDir = resolve(sources.at(-1) as string)
        const onExists = parseOnExists(options.onExists)
        const id = await accountId(client, options.account)
        const byBucket = new Map<string, string[]>()
        for (const source of sources.slice(0, -1)) {
          const { bucket, key } = splitSource(source)
          byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), key])
        }
        const ids: number[] = []
        for (const [bucket, keys] of byBucket) {
          const batch = await client.call('downloads:start', {
            accountId: id,
            bucket,
            keys,
            targetDir,
            sseCustomerKeyNames: options.sseCKey,
            onExists,
          })
          ids.push(batch.id)
        }
        const batches = await follow(client, out, ids)
        for (const b of batches) {
          if (b.error) out.info(`${b.bucket}: ${b.error.message}`)
          for (const f of b.failures) out.info(`FAILED ${b.bucket}/${f.key}: ${f.error?.message ?? ''}`)
        }
        const needKey = batches.reduce((n, b) => n + b.needsCustomerKey, 0)
        if (needKey > 0) {
          out.info(`${needKey} object(s) are encrypted with an SSE-C key not given: add --sse-c-key <name>.`)
        }
        out.result(batches, summaryLine(batches))
        return batches.every((b) => b.state === 'done') ? 0 : 1
      }),
    )
}
