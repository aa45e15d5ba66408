import { afterAll, beforeAll } from 'vitest'
import type { KmsDirectoryOptions } from '../../main/core/kms/kms-directory'
import { testCaFile } from '../support/fixtures/tls'

interface FakeKmsServer {
  endpoint: string
  close(): Promise<void>
}

/**
 * A fake KMS server for a describe (started before its tests, closed after them) and the key directory options
 * that reach it over TLS with the test CA, in pages of 2 so that paging is always exercised.
 */
export function fakeKmsPerDescribe<S extends FakeKmsServer>(
  start: () => Promise<S>,
): { readonly server: S; readonly options: KmsDirectoryOptions } {
  const fake = {} as { server: S; options: KmsDirectoryOptions }
  beforeAll(async () => {
    fake.server = await start()
    fake.options = { endpointOverride: fake.server.endpoint, caFile: testCaFile, pageSize: 2 }
  })
  afterAll(() => fake.server.close())
  return fake
}
