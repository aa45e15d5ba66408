/**
 * A setting typed into a field and sent when the user commits it (change, Enter, leaving the field): the queue
 * checks it and says why when not; the field then shows the value in force again. A refusal stays until the field
 * holds an acceptable value: the browser sends no `change` when the text typed equals the text it last committed
 * (the refused one, or the value in force put back), so every edit re-checks the field here.
 */
export function useCommittedField(options: {
  /** The field's text means the value in force: nothing to send, nothing refused. */
  inForce: (text: string) => boolean
  send: (text: string) => Promise<void>
  clearRefusal: () => void
}) {
  let edited = false
  let sending: string | undefined
  return {
    /** The field holds text typed but not committed yet (a value changed elsewhere must not overwrite it). */
    editing: () => edited,
    /** The user gave up the edit (Escape): the field shows the value in force again. */
    abandon(): void {
      edited = false
      options.clearRefusal()
    },
    /** The user changed the field (typing, or a unit picked next to it). */
    edited(text: string): void {
      edited = true
      if (options.inForce(text)) options.clearRefusal()
    },
    /** Sends the field's text if it was edited and differs from the value in force; true when it was sent. */
    async commit(text: string): Promise<boolean> {
      // Enter fires keydown and then change: one send for one edit.
      if (!edited || text === sending) return false
      edited = false
      if (options.inForce(text)) return false
      sending = text
      try {
        await options.send(text)
      } finally {
        sending = undefined
      }
      return true
    },
  }
}
