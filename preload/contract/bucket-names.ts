import type { AppLocale } from './i18n/locales'
import { translate } from './i18n/translate'
import type { Provider } from './models'

/**
 * Why a bucket name would be refused by the provider (in `locale`; English for the CLI and the core's error), or
 * undefined when it is acceptable. Pure, so the create bucket form can say it while the user types, in the
 * window's language; the core checks it again before anything is sent.
 *
 * Rules: Amazon S3 "Bucket naming rules" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)
 * and OBS "Bucket naming rules" (https://support.huaweicloud.com/intl/en-us/sdk-nodejs-devg-obs/obs_29_0108.html):
 * 3-63 characters; lowercase letters, digits, hyphens and periods; starts and ends with a letter or digit; no
 * two adjacent periods; not an IP address. OBS also forbids a period next to a hyphen; AWS reserves some
 * prefixes and suffixes. MinIO and Ceph RGW (with its default strict names) follow the S3 rules.
 */
export function bucketNameProblem(
  name: string,
  provider: Provider,
  locale: AppLocale = 'en',
): string | undefined {
  const rule = bucketNameRule(name, provider)
  return rule && translate(locale, `bucketNames.${rule.rule}`, rule.affix ? { affix: rule.affix } : {})
}

/** The rule a name breaks (a catalogue key under bucketNames), with the reserved prefix or suffix it uses. */
function bucketNameRule(name: string, provider: Provider): { rule: string; affix?: string } | undefined {
  if (name.length < 3 || name.length > 63) return { rule: 'length' }
  if (!/^[a-z0-9.-]+$/.test(name)) return { rule: 'characters' }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return { rule: 'ends' }
  if (name.includes('..')) return { rule: 'periods' }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return { rule: 'ipAddress' }
  if ((provider === 'huawei-obs' || provider === 'otc-obs') && /\.-|-\./.test(name)) {
    return { rule: 'obsPeriodHyphen' }
  }
  if (provider === 'aws-s3') {
    const prefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p))
    if (prefix) return { rule: 'awsPrefix', affix: prefix }
    const suffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3'].find((s) => name.endsWith(s))
    if (suffix) return { rule: 'awsSuffix', affix: suffix }
  }
  return undefined
}
