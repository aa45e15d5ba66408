import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

// Three builds, none of which needs an Electron binary:
// - main: the Electron entry, plus the headless CLI (which also serves the web UI) on the same core;
// - preload: CommonJS, because a sandboxed preload cannot be an ES module;
// - renderer: the Vue app, served by Electron from disk or by the headless server over HTTP.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Pure-JS libraries loaded at every start are bundled: zod alone is ~100 ES modules, and resolving and
      // linking them one by one cost ~100 ms of each CLI command's start-up.
      externalizeDeps: { exclude: ['zod', 'commander', 'ignore'] },
      rollupOptions: {
        input: {
          index: resolve('main/electron/index.ts'),
          cli: resolve('main/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    base: './',
    plugins: [vue()],
    // vue-i18n's feature flags: the Composition API only (no legacy API in the bundle), no devtools hooks. Its
    // message compiler stays: it turns catalogue strings into an AST that is interpreted, never eval'd, so the
    // window's CSP needs no 'unsafe-eval'.
    define: {
      __VUE_I18N_FULL_INSTALL__: 'true',
      __VUE_I18N_LEGACY_API__: 'false',
      __INTLIFY_PROD_DEVTOOLS__: 'false',
      __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
    },
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
})
