import { PerformanceObserver } from 'node:perf_hooks'
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'

/**
 * How V8 sizes the CLI process's heap. Its defaults suit a browser tab, not an uploader of thousands of files
 * (A/B against RGW, 2,000 x 16 KiB files, our process pinned to one core; figures in the README's bench:queue
 * section). cli.ts imports this first and loads the program after it: set later, the heap had already grown while
 * the program's modules loaded.
 *
 * - The young generation may grow to YOUNG_GENERATION_CAP, then stays. V8 doubles it, up to 2 x 16 MiB, whenever
 *   many objects survive its collections, and dozens of uploads in flight keep their objects alive across
 *   collections; grown all the way, it stayed resident (~35 MB of a 2,000-file upload's peak). Held at its
 *   starting 1 MiB, it was collected so often that the collections took ~0.45 s of CPU of a 2,000-file upload
 *   (~18%); at 16 MiB they take ~0.28 s, for ~15 MB more at the peak. V8 has no run-time setting for the
 *   maximum (`--max-semi-space-size` is read at start-up only, and `node out/main/cli.js` gets no start-up
 *   flags), but its growth factor is read each time it would grow the space: it is set to 1 once the space
 *   reached the cap, seen after a collection.
 * - The old generation may grow to 1.5x what survived its last full collection before the next one. V8 picks up to
 *   4x for a small heap, so the objects of finished uploads (promoted while in flight) piled up as garbage: the peak
 *   of a 2,000-file upload fell from ~126 MB to ~98 MB with this, of a 6,000-file one from ~148 MB to ~104 MB.
 */
export const YOUNG_GENERATION_CAP = 16 * 1024 * 1024

setFlagsFromString('--heap-growing-percent=50')

const youngGeneration = new PerformanceObserver(() => {
  const size = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0
  if (size < YOUNG_GENERATION_CAP) return
  setFlagsFromString('--semi-space-growth-factor=1')
  youngGeneration.disconnect()
})
youngGeneration.observe({ entryTypes: ['gc'] })
