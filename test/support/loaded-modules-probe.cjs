// Preloaded into a CLI run (NODE_OPTIONS=--require): at exit, writes the packages the process loaded (one per
// line) to the file named by OBS_SYNC_TEST_LOADED_MODULES, so a test can tell what a command cost to start.
const { writeFileSync } = require('node:fs')

process.on('exit', () => {
  const packages = new Set()
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)
    if (match) packages.add(match[1])
  }
  writeFileSync(process.env.OBS_SYNC_TEST_LOADED_MODULES, [...packages].sort().join('\n'))
})
