import type { z } from 'zod'
import type { ErrorParams } from '../../preload/contract/errors'

/**
 * Which rule a refused argument broke, as parameters the window words in the user's language
 * (errorRules.* in the catalogues): a number out of its range, not whole, or not a number. The English message
 * keeps the channel and the schema's own sentence for the CLI and raw clients; the window says the rule.
 * Undefined for the other shapes (the code's general sentence is used).
 */
export function argumentRule(issue: z.core.$ZodIssue | undefined): ErrorParams | undefined {
  if (!issue) return undefined
  if (issue.code === 'too_big' && issue.origin === 'number')
    return { rule: 'numberAtMost', maximum: Number(issue.maximum) }
  if (issue.code === 'too_small' && issue.origin === 'number')
    return { rule: 'numberAtLeast', minimum: Number(issue.minimum) }
  if (issue.code === 'invalid_type' && issue.expected === 'int') return { rule: 'wholeNumber' }
  if (issue.code === 'invalid_type' && issue.expected === 'number') return { rule: 'numberExpected' }
  return undefined
}
