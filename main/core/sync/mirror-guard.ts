/**
 * Mirror mode deletes remote objects whose local files are gone, but never a large share of a folder in one
 * pass without the user's confirmation: an unmounted disk or an emptied folder looks exactly like "delete all".
 */
export function deletionAllowed(
  deletions: number,
  tracked: number,
  capPercent: number,
  confirmed: boolean,
): { allowed: boolean; reason?: string } {
  if (deletions === 0 || confirmed) return { allowed: true }
  const share = tracked === 0 ? 100 : (deletions / tracked) * 100
  if (share > capPercent) {
    return {
      allowed: false,
      reason: `Refusing to delete ${deletions} of ${tracked} remote files (${share.toFixed(0)}%, more than the ${capPercent}% safety cap) in one pass. Confirm the deletion to go ahead.`,
    }
  }
  return { allowed: true }
}
