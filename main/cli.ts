#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
// The V8 setting first, before any other module allocates (see the file); then the program, loaded after it.
import './cli/heap-settings'

const { runCli } = await import('./cli/program')
// Built, this file is out/main/cli.js and the web UI out/renderer/.
await runCli(fileURLToPath(new URL('../renderer/', import.meta.url)))
