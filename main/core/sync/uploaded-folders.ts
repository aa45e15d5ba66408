import { folderSignature } from './folder-signature'
import type { StateDb } from './state-db'

/**
 * Folders of the last pass that had files to upload, with the signature the scan saw. Once a pass's uploads are
 * done, a folder whose rows now give the signature its scan gave is remembered as in sync, so that the first
 * restart after a big upload already skips it (not only the second).
 */
export function createUploadedFolders(pairId: string, state: StateDb) {
  let pending = new Map<string, string>()
  return {
    forget(): void {
      pending = new Map()
    },
    add(relDir: string, signature: string): void {
      pending.set(relDir, signature)
    },
    /** Remembers the folders whose uploads all landed as they were scanned. */
    rememberInSync(): void {
      if (pending.size === 0) return
      const inSync: { relDir: string; signature: string; fileCount: number }[] = []
      for (const [relDir, signature] of pending) {
        const live = [...state.rowsIn(pairId, relDir)]
          .filter(([, row]) => !row.localGone)
          .map(([relPath, row]) => ({ relPath, size: row.size, mtimeMs: row.mtimeMs }))
        if (folderSignature(live) === signature) inSync.push({ relDir, signature, fileCount: live.length })
      }
      pending = new Map()
      state.rememberFolders(pairId, inSync)
    },
  }
}
