import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { createBucket, median, runMain, s3For, startRgw } from '../bench-lib'

runMain(async () => {
  const rgw = await startRgw('memstore')
  const s3 = s3For(rgw)
  const bucket = await createBucket(s3, 'exp')
  for (const sse of [false, true, false, true]) {
    const t: number[] = []
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now()
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `k${i}`,
          Body: randomBytes(1024),
          ...(sse ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: rgw.kmsKeyIds[0] } : {}),
        }),
      )
      if (i) t.push(performance.now() - t0)
    }
    const h: number[] = []
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now()
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `k${i}` }))
      h.push(performance.now() - t0)
    }
    console.log(
      `sse=${sse} PUT median ${median(t).toFixed(1)} ms min ${Math.min(...t).toFixed(1)}; HEAD median ${median(h).toFixed(1)} ms`,
    )
  }
  // curl for comparison
  const { execFileSync } = await import('node:child_process')
  for (let i = 0; i < 3; i++) {
    const out = execFileSync('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{time_total}',
      '--cacert',
      rgw.caFile,
      '--aws-sigv4',
      'aws:amz:us-east-1:s3',
      '--user',
      `${rgw.accessKeyId}:${rgw.secretAccessKey}`,
      '-H',
      'x-amz-content-sha256: UNSIGNED-PAYLOAD',
      '-H',
      'x-amz-server-side-encryption: aws:kms',
      '-H',
      `x-amz-server-side-encryption-aws-kms-key-id: ${rgw.kmsKeyIds[0]}`,
      '-T',
      '/etc/hostname',
      `${rgw.httpsEndpoint}/${bucket}/curl${i}`,
    ]).toString()
    console.log('curl PUT (incl. TLS handshake)', out)
  }
  await rgw.stop()
})
