import type { IpcError } from '../../../preload/contract/errors'

/**
 * Mirror mode deletes remote objects whose local files are gone, but never a large share of a folder in one
 * pass without the user's confirmation: an unmounted disk or an emptied folder looks exactly like "delete all".
 * A refusal names its counts (params), so a window says them in its language; the CLI prints the sentence.
 */
export function deletionAllowed(
  deletions: number,
  tracked: number,
  capPercent: number,
  confirmed: boolean,
): { allowed: boolean; refusal?: IpcError } {
  if (deletions === 0 || confirmed) return { allowed: true }
  const share = tracked === 0 ? 100 : (deletions / tracked) * 100
  if (share > capPercent) {
    const percent = Number(share.toFixed(0))
    return {
      allowed: false,
      refusal: {
        code: 'DELETIONS_HELD',
        message: `Refusing to delete ${deletions} of ${tracked} remote files (${percent}%, more than the ${capPercent}% safety cap) in one pass. Confirm the deletion to go ahead.`,
        params: { deletions, tracked, percent, cap: capPercent },
      },
    }
  }
  return { allowed: true }
}
