/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where the time went, by function (inclusive and self)
 * and by package. Used by the benches' `--profile` option; also runnable on its own:
 *   node --import tsx test/bench/cpu-profile.ts FILE.cpuprofile [top] [timeline slice ms]
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  hitCount?: number
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const ROOT = resolve(import.meta.dirname, '../..')
const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)'])

function shortUrl(url: string): string {
  let u = url.replace(/^file:\/\//, '')
  const nm = u.lastIndexOf('node_modules/')
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length)
  if (u.startsWith(ROOT)) u = u.slice(ROOT.length + 1)
  return u
}

function packageOf(url: string): string {
  if (!url) return '(native/V8)'
  if (url.startsWith('node:')) return 'node: (core)'
  const u = url.replace(/^file:\/\//, '')
  const nm = u.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = u.slice(nm + 'node_modules/'.length).split('/')
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?')
  }
  if (u.startsWith(ROOT))
    return `app: ${u
      .slice(ROOT.length + 1)
      .split('/')
      .slice(0, 3)
      .join('/')}`
  return u
}

export interface ProfileSummary {
  totalMs: number
  idleMs: number
  gcMs: number
  programMs: number
  inclusive: { name: string; ms: number }[]
  self: { name: string; ms: number }[]
  packages: { name: string; ms: number }[]
}

export function summarize(profile: CpuProfile): ProfileSummary {
  const byId = new Map<number, ProfileNode>()
  const parent = new Map<number, number>()
  for (const node of profile.nodes) byId.set(node.id, node)
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id)
  const keyOf = (node: ProfileNode) => {
    const f = node.callFrame
    const name = f.functionName || '(anonymous)'
    if (SPECIAL.has(name)) return name
    return f.url ? `${name} ${shortUrl(f.url)}:${f.lineNumber + 1}` : `${name} (native)`
  }
  const inclusive = new Map<string, number>()
  const self = new Map<string, number>()
  const packages = new Map<string, number>()
  let total = 0
  const n = profile.samples.length
  for (let i = 0; i < n; i++) {
    // A sample lasts until the next one; the first delta is the offset from the profile's start.
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000
    total += ms
    const leaf = byId.get(profile.samples[i] ?? -1)
    if (!leaf) continue
    const leafKey = keyOf(leaf)
    self.set(leafKey, (self.get(leafKey) ?? 0) + ms)
    const pkg = SPECIAL.has(leafKey) ? leafKey : packageOf(leaf.callFrame.url)
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms)
    const seen = new Set<string>()
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)
      if (!node) break
      const key = keyOf(node)
      if (key === '(root)' || seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms)
    }
  }
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms)
  return {
    totalMs: total,
    idleMs: self.get('(idle)') ?? 0,
    gcMs: self.get('(garbage collector)') ?? 0,
    programMs: self.get('(program)') ?? 0,
    inclusive: sorted(inclusive).filter((e) => !SPECIAL.has(e.name)),
    self: sorted(self),
    packages: sorted(packages),
  }
}

/**
 * The profile as a timeline: per `bucketMs` slice, the share of time on CPU and the app function (our code, not
 * libraries) seen most on the stacks; long idle stretches show where a command waits rather than works.
 */
export function timeline(
  profile: CpuProfile,
  bucketMs = 100,
  rss: { atMs: number; bytes: number }[] = [],
): string[] {
  const byId = new Map<number, ProfileNode>()
  const parent = new Map<number, number>()
  for (const node of profile.nodes) byId.set(node.id, node)
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id)
  const appFrame = (id: number): string => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)?.callFrame
      if (f?.url && !f.url.includes('node_modules') && !f.url.startsWith('node:'))
        return `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`
    }
    const leaf = byId.get(id)?.callFrame
    return leaf ? `${leaf.functionName || '(anonymous)'} ${shortUrl(leaf.url)}` : '?'
  }
  const buckets: { busy: number; total: number; frames: Map<string, number> }[] = []
  let t = 0
  for (let i = 0; i < profile.samples.length; i++) {
    t += (profile.timeDeltas[i] ?? 0) / 1000
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000
    const b = Math.floor(t / bucketMs)
    while (buckets.length <= b) buckets.push({ busy: 0, total: 0, frames: new Map() })
    const bucket = buckets[b]!
    bucket.total += ms
    const node = byId.get(profile.samples[i] ?? -1)
    const name = node?.callFrame.functionName
    if (!node || name === '(idle)') continue
    bucket.busy += ms
    const frame = name === '(garbage collector)' || name === '(program)' ? name : appFrame(node.id)
    bucket.frames.set(frame, (bucket.frames.get(frame) ?? 0) + ms)
  }
  return buckets.map((b, i) => {
    const top = [...b.frames.entries()].sort((x, y) => y[1] - x[1]).slice(0, 3)
    const inSlice = rss.filter((r) => r.atMs >= i * bucketMs && r.atMs < (i + 1) * bucketMs)
    const mem = inSlice.length
      ? ` RSS ${(Math.max(...inSlice.map((r) => r.bytes)) / 1e6).toFixed(0).padStart(4)} MB `
      : ''
    return `  ${String(i * bucketMs).padStart(6)} ms ${mem} busy ${String(Math.round((100 * b.busy) / Math.max(1, bucketMs))).padStart(3)}%  ${top.map(([f, ms]) => `${f} ${ms.toFixed(0)}ms`).join(', ')}`
  })
}

export function formatSummary(s: ProfileSummary, top = 25): string {
  const busy = s.totalMs - s.idleMs
  const pct = (ms: number) => `${((100 * ms) / Math.max(1, busy)).toFixed(1).padStart(5)}%`
  const row = (e: { name: string; ms: number }) =>
    `  ${e.ms.toFixed(0).padStart(7)} ms ${pct(e.ms)}  ${e.name}`
  return [
    `profile: ${s.totalMs.toFixed(0)} ms sampled, ${(s.totalMs - s.idleMs).toFixed(0)} ms on CPU (idle ${s.idleMs.toFixed(0)} ms, GC ${s.gcMs.toFixed(0)} ms, (program) ${s.programMs.toFixed(0)} ms); % of on-CPU time`,
    `top ${top} functions, inclusive (self + callees):`,
    ...s.inclusive.slice(0, top).map(row),
    'top 15 functions, self:',
    ...s.self
      .filter((e) => e.name !== '(idle)')
      .slice(0, 15)
      .map(row),
    'self time by package:',
    ...s.packages
      .filter((e) => e.name !== '(idle)')
      .slice(0, 12)
      .map(row),
  ].join('\n')
}

export async function summarizeFile(path: string, top = 25): Promise<string> {
  return formatSummary(summarize(JSON.parse(await readFile(path, 'utf8')) as CpuProfile), top)
}

export async function timelineOf(
  path: string,
  bucketMs: number,
  rss: { atMs: number; bytes: number }[] = [],
): Promise<string> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile
  return [
    `(${bucketMs} ms slices;${rss.length ? ' RSS = highest resident set size seen in the slice;' : ''} busy = share of the slice on CPU; the app functions seen most)`,
    ...timeline(profile, bucketMs, rss),
  ].join('\n')
}

/** The profiles written into `dir` by `node --cpu-prof --cpu-prof-dir dir`. */
export async function profilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f))
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const file = process.argv[2]
  if (!file) {
    console.error('usage: node --import tsx test/bench/cpu-profile.ts FILE.cpuprofile [top]')
    process.exit(2)
  }
  console.log(await summarizeFile(file, Number(process.argv[3] ?? 25)))
  if (process.argv[4]) console.log(await timelineOf(file, Number(process.argv[4])))
}
