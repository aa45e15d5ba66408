/**
 * The AWS SDK, loaded on first use. Importing @aws-sdk/client-s3 costs ~250 ms of start-up on this project's
 * machine; `obs-sync status`, a sync pass with nothing to upload and the app's first window never need it.
 * Modules that talk to S3 or KMS import only types statically and take the classes from these.
 */
export const s3Sdk = () => import('@aws-sdk/client-s3')
export const kmsSdk = () => import('@aws-sdk/client-kms')
export const presignerSdk = () => import('@aws-sdk/s3-request-presigner')
export const httpHandlerSdk = () => import('@smithy/node-http-handler')
export const signerSdk = () => import('@smithy/signature-v4')
