/**
 * How many of the first `items` fit in `maxBytes` of JSON as one array (each item's JSON and its comma), at least
 * one: what an answer sends so that its frame stays under the shells' budget, the rest going in a next page or
 * counted.
 */
export function leadingWithinBytes(items: readonly unknown[], maxBytes: number): number {
  let bytes = 2
  for (let i = 0; i < items.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(items[i])) + 1
    if (bytes > maxBytes && i > 0) return i
  }
  return items.length
}
