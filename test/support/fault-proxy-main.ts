import { createInterface } from 'node:readline'
import { type FaultMode, type LinkShape, startFaultProxy } from './fault-proxy'

// The fault proxy as its own process, for benches and tests that want it apart from their own event loop:
//   node --import tsx test/support/fault-proxy-main.ts --target 127.0.0.1:7480 [--listen 0]
//        [--mode '{"kind":"pass"}'] [--link '{"upLatencyMs":20,"downLatencyMs":20}']
// It prints one JSON line {"port":N,"pid":P} when listening, then takes one JSON command a line on stdin:
// {"mode":{...}} | {"link":{...}} | {"stats":true}; each is answered by one JSON line (the stats after it).
// SIGTERM (or stdin closing) stops it.
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const target = arg('target')
if (!target || !/^[^:]+:\d+$/.test(target)) {
  process.stderr.write(
    'usage: fault-proxy-main.ts --target HOST:PORT [--listen PORT] [--mode JSON] [--link JSON]\n',
  )
  process.exit(2)
}
const [targetHost, targetPort] = target.split(':') as [string, string]
const proxy = await startFaultProxy({
  targetHost,
  targetPort: Number(targetPort),
  listenPort: Number(arg('listen') ?? 0),
  mode: arg('mode') ? (JSON.parse(arg('mode') as string) as FaultMode) : undefined,
  link: arg('link') ? (JSON.parse(arg('link') as string) as LinkShape) : undefined,
})
process.stdout.write(`${JSON.stringify({ port: proxy.port, pid: process.pid })}\n`)

const stop = async () => {
  await proxy.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  try {
    const command = JSON.parse(line) as { mode?: FaultMode; link?: LinkShape }
    if (command.mode) await proxy.setMode(command.mode)
    if (command.link) proxy.setLink(command.link)
    process.stdout.write(`${JSON.stringify({ ok: true, stats: proxy.stats() })}\n`)
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(error) })}\n`)
  }
})
lines.on('close', stop)
