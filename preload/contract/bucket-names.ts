import type { Provider } from './models'

/**
 * Why a bucket name would be refused by the provider, or undefined when it is acceptable. Pure, so the create
 * bucket form can say it while the user types; the core checks it again before anything is sent.
 *
 * Rules: Amazon S3 "Bucket naming rules" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)
 * and OBS "Bucket naming rules" (https://support.huaweicloud.com/intl/en-us/sdk-nodejs-devg-obs/obs_29_0108.html):
 * 3-63 characters; lowercase letters, digits, hyphens and periods; starts and ends with a letter or digit; no
 * two adjacent periods; not an IP address. OBS also forbids a period next to a hyphen; AWS reserves some
 * prefixes and suffixes. MinIO and Ceph RGW (with its default strict names) follow the S3 rules.
 */
export function bucketNameProblem(name: string, provider: Provider): string | undefined {
  if (name.length < 3 || name.length > 63) return 'A bucket name has 3 to 63 characters.'
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return 'A bucket name may contain only lowercase letters, digits, hyphens (-) and periods (.).'
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return 'A bucket name starts and ends with a lowercase letter or a digit.'
  }
  if (name.includes('..')) return 'A bucket name may not contain two periods in a row.'
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'A bucket name may not look like an IP address.'
  if ((provider === 'huawei-obs' || provider === 'otc-obs') && /\.-|-\./.test(name)) {
    return 'On OBS a period may not be next to a hyphen in a bucket name.'
  }
  if (provider === 'aws-s3') {
    const prefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p))
    if (prefix) return `Amazon S3 reserves bucket names starting with "${prefix}".`
    const suffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3'].find((s) => name.endsWith(s))
    if (suffix) return `Amazon S3 reserves bucket names ending with "${suffix}".`
  }
  return undefined
}
