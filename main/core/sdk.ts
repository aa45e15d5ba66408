import { createRequire } from 'node:module'

/**
 * The AWS SDK, loaded on first use. Loading @aws-sdk/client-s3 costs ~150-250 ms of start-up on this project's
 * machine; `obs-sync status`, a sync pass with nothing to upload and the app's first window never need it.
 * Modules that talk to S3 or KMS import only types statically and take the classes from these.
 * These packages are CommonJS: `require` skips what `import()` of them costs on top (Node scans each CommonJS
 * file for its export names first), ~70 ms of every upload command's start.
 */
const load = createRequire(import.meta.url)

/** Synchronous, for the S3 client built on its first use (s3-client.ts); elsewhere `s3Sdk`. */
export const s3SdkNow = () => load('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')
export const httpHandlerSdkNow = () =>
  load('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler')

export const s3Sdk = async () => s3SdkNow()
export const kmsSdk = async () => load('@aws-sdk/client-kms') as typeof import('@aws-sdk/client-kms')
export const presignerSdk = async () =>
  load('@aws-sdk/s3-request-presigner') as typeof import('@aws-sdk/s3-request-presigner')
export const httpHandlerSdk = async () => httpHandlerSdkNow()
export const signerSdk = async () => load('@smithy/signature-v4') as typeof import('@smithy/signature-v4')
