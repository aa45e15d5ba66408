import { setFlagsFromString } from 'node:v8'

/**
 * How V8 sizes the CLI process's heap. Its defaults suit a browser tab, not an uploader of thousands of files,
 * and both settings below keep the resident memory down for no measurable CPU (A/B against a local server and
 * against RGW, 2,000 and 6,000 x 16 KiB files; figures in the README's bench:queue section). cli.ts imports this
 * first and loads the program after it: set later, the heap had already grown while the program's modules loaded.
 *
 * - The young generation stays at its starting size. V8 doubles it, up to 2 x 16 MiB, whenever many objects
 *   survive its collections, and dozens of uploads in flight keep their objects alive across collections; the grown
 *   space stayed resident (~40 MB of a 2,000-file upload's peak). The growth factor is read each time V8 would
 *   grow the space, so it can be set at run time (`--max-semi-space-size` cannot: it is read at start-up only).
 * - The old generation may grow to 1.5x what survived its last full collection before the next one. V8 picks up to
 *   4x for a small heap, so the objects of finished uploads (promoted while in flight) piled up as garbage: the peak
 *   of a 2,000-file upload fell from ~126 MB to ~98 MB with this, of a 6,000-file one from ~148 MB to ~104 MB.
 */
setFlagsFromString('--semi-space-growth-factor=1')
setFlagsFromString('--heap-growing-percent=50')
