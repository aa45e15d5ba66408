import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// Two vitest tiers of `npm test` (the third, e2e, is Playwright's):
// - unit: no services, plain Node (and happy-dom for renderer files named *.dom.test.ts);
// - integration: against the real services started once by test/support/global-setup.ts.
export default defineConfig({
  plugins: [vue()],
  test: {
    // The AWS SDK is pinned to a version that supports Node 20 (see README); its end-of-support notice is noise.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Some unit tests start a real local TLS server (KMS fixtures, proxies); on a loaded 2-core machine a
          // handshake-heavy test passed alone in 1 s and hit the 5 s default in a full run. A limit, not a retry.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/integration-env.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
