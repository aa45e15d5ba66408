/**
 * A provider preset's address for a region: its template with `{region}` filled in ('' when the preset has no
 * template: self-hosted servers need the user's endpoint). The account form (as the user picks a region) and the
 * core (an account added without an endpoint, KMS endpoints and console links) fill templates with this one rule.
 */
export function fillRegion(template: string | undefined, region: string): string {
  return template ? template.replaceAll('{region}', region) : ''
}
