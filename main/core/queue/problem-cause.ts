/**
 * The cause of a job's error without the part that is about that one job. Errors about a local file name it
 * (`"/photos/a.jpg" no longer exists.`): 10,000 vanished files are one cause, "The file no longer exists.", not
 * 10,000, and the group's examples name the files. The job's own source path (quoted or bare) and its object key
 * (quoted) are taken out; any other text of the message (a key id, a bucket) is kept, so different causes stay
 * apart. A bare key is left alone: a short key ("key") may be a word of the sentence.
 */
export function causeMessage(message: string, sourcePath: string, objectKey: string): string {
  let cause = message
  for (const own of [sourcePath, objectKey]) if (own) cause = cause.split(`"${own}"`).join(FILE)
  // A path always holds a separator, so it cannot be a mere word of the sentence.
  if (/[/\\]/.test(sourcePath)) cause = cause.split(sourcePath).join(FILE)
  return cause.startsWith(FILE) ? `The file${cause.slice(FILE.length)}` : cause
}

const FILE = 'the file'

/**
 * The params of a job's error that its cause (above) still names, as JSON: a group of jobs shares its cause
 * sentence, so it shares these (the KMS key id, the bucket), while a param naming one job's own file or object
 * (taken out of the cause) would word the whole group with one example's name. Params are JSON from the queue DB.
 */
/** Params that pick the sentence (error-wording.ts) rather than name something: always kept. */
const WHICH_SENTENCE = new Set(['rule', 'cause'])

export function causeParams(params: string | null, cause: string): string | null {
  if (!params) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(params)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const named = Object.entries(parsed).filter(
    ([name, value]) => WHICH_SENTENCE.has(name) || cause.includes(String(value)),
  )
  return named.length > 0 ? JSON.stringify(Object.fromEntries(named)) : null
}
