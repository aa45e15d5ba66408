import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { type Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { OnExistsPolicy } from '../../../preload/contract/download-models'
import type { EncryptionChoice } from '../../../preload/contract/models'
import type { EnqueueRequest, EnqueueResult } from '../../../preload/contract/queue-models'
import { AppError } from '../errors'
import { makeFolders } from '../make-folders'
import { safeLocalPath } from '../storage/safe-path'

export interface DroppedFile {
  accountId: string
  bucket: string
  prefix: string
  /** The file's name as the browser gave it: one path segment, checked like an object key. */
  name: string
  /** Bytes announced by the browser (Content-Length); the upload is refused if a different number arrives. */
  size: number
  encryption?: EncryptionChoice
  storageClass?: string
  /** The upload dialog's rule for an object of the same name (the staged file is removed when it is kept). */
  onExists?: OnExistsPolicy
}

/**
 * Files dropped into the web UI's browser window: the browser cannot tell the server where they are, so their
 * bytes are streamed to a staging folder in the data folder (one sub-folder per file, so its name and therefore
 * its object key stay as dropped) and queued from there like any local file, with the same encryption choices.
 * Memory stays bounded (a stream with back-pressure). Staged files are removed once their upload is done or
 * cancelled; a failed upload keeps its file so that "retry" works.
 */
export function createDropInbox(deps: {
  dir: string
  enqueue(request: EnqueueRequest): Promise<EnqueueResult>
}) {
  return {
    async receive(file: DroppedFile, body: Readable): Promise<EnqueueResult> {
      if (file.name.includes('/') || file.name.includes('\\')) {
        throw new AppError('INVALID_ARGUMENT', `"${file.name}" is not a file name.`, {
          params: { rule: 'dropFileName', name: file.name },
        })
      }
      const folder = join(deps.dir, randomUUID())
      // The same rules as a downloaded key: no control characters, reserved or climbing names.
      const path = safeLocalPath(folder, file.name)
      await makeFolders(folder, 0o700)
      let received = 0
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          received += chunk.length
          done(
            received > file.size
              ? new AppError('INVALID_ARGUMENT', 'More bytes arrived than announced.', {
                  params: { cause: 'dropTooLong', name: file.name, size: file.size },
                })
              : null,
            chunk,
          )
        },
      })
      try {
        await pipeline(body, counter, createWriteStream(path, { flags: 'wx', mode: 0o600 }))
        if (received !== file.size) {
          throw new AppError(
            'SOURCE_CHANGED',
            `"${file.name}" arrived incomplete (${received} of ${file.size} bytes).`,
            { params: { cause: 'dropIncomplete', name: file.name, received, size: file.size } },
          )
        }
        return await deps.enqueue({
          accountId: file.accountId,
          bucket: file.bucket,
          prefix: file.prefix,
          paths: [path],
          encryption: file.encryption,
          ...(file.storageClass ? { storageClass: file.storageClass } : {}),
          ...(file.onExists ? { onExists: file.onExists } : {}),
        })
      } catch (error) {
        await rm(folder, { recursive: true, force: true })
        throw error
      }
    },
    /**
     * Removes staged folders no job needs: left by a process that ended before their upload finished or was
     * cancelled (the release above never ran), or whose drop never reached the queue. `needed` holds the source
     * paths of jobs still to do or failed (a retry reads them again). A folder written to within the last
     * `graceMs` stays: it may be a drop another OBS Sync process on this data folder is still receiving.
     * Answers how many folders were removed.
     */
    async sweep(needed: ReadonlySet<string>, graceMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
      let removed = 0
      const folders = await readdir(deps.dir, { withFileTypes: true }).catch(() => [])
      for (const folder of folders) {
        const path = join(deps.dir, folder.name)
        const files = folder.isDirectory() ? await readdir(path).catch(() => []) : []
        if (files.some((name) => needed.has(join(path, name)))) continue
        const times = await Promise.all(
          [path, ...files.map((name) => join(path, name))].map((p) =>
            stat(p).then(
              (s) => s.mtimeMs,
              () => 0,
            ),
          ),
        )
        if (now - Math.max(...times) < graceMs) continue
        await rm(path, { recursive: true, force: true })
        removed++
      }
      return removed
    },
    /** Removes a staged file's folder once its upload needs it no more; paths outside the inbox are ignored. */
    async release(sourcePath: string): Promise<void> {
      const rel = relative(deps.dir, sourcePath)
      if (rel.startsWith('..') || rel.split(sep).length !== 2) return
      await rm(dirname(sourcePath), { recursive: true, force: true })
    },
  }
}

export type DropInbox = ReturnType<typeof createDropInbox>
