import { setFlagsFromString } from 'node:v8'

/**
 * Keeps V8's young generation at its starting size in the CLI process. V8 doubles it, up to 2 x 16 MiB, whenever
 * many objects survive its collections, and an upload of thousands of small files makes them survive (32 requests
 * in flight keep their objects alive across collections). The grown space stays resident: ~40 MB of the ~168 MB
 * peak of a 2,000 x 16 KiB upload, for no CPU saved (A/B on one RGW, see the README's bench:queue figures).
 * `--max-semi-space-size` would cap it only as a start-up flag, which `node out/main/cli.js` does not get; the
 * growth factor is read each time V8 grows the space, so it can be set at run time. cli.ts imports this first
 * and loads the program after it: set later, the space had already doubled while the program's modules loaded.
 */
setFlagsFromString('--semi-space-growth-factor=1')
