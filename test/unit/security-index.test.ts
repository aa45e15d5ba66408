// The whole threat list of the outside security probe (issue #13) in one place: each finding by its number,
// what protects against it, and the tests that prove it (each failed before its fix). This file checks that
// every listed test file exists and names its finding, so the list cannot silently go stale.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface Finding {
  n: number
  severity: 'High' | 'Medium' | 'Low'
  threat: string
  protection: string
  tests: string[]
}

const FINDINGS: Finding[] = [
  {
    n: 1,
    severity: 'High',
    threat: 'a symbolic link in a watched or dropped folder uploads a file from outside it',
    protection:
      'one folder-walk rule (main/core/sync/folder-walk.ts) for scan, watch and drop: lstat, regular files only, links never followed and reported, special files never opened; the queue refuses a source that became a link',
    tests: ['test/unit/security-01-folder-walk.test.ts', 'test/integration/security-watch-links.test.ts'],
  },
  {
    n: 2,
    severity: 'Medium',
    threat:
      'one malformed WebSocket frame (too big, invalid UTF-8, unmasked) or a static read error ends `obs-sync serve`',
    protection:
      'an error path on every socket and stream (main/server/web-server.ts, static-files.ts); frame limit MAX_FRAME_BYTES in the contract, queue:enqueue paths capped in total to fit it',
    tests: ['test/unit/security-web-server.test.ts'],
  },
  {
    n: 3,
    severity: 'Medium',
    threat: 'the SSE-C key is sent in clear over http:// on downloads and object details',
    protection:
      'every request of the app’s S3 client carrying an SSE-C key or asking for SSE-KMS over http:// is refused before sending (main/core/storage/https-guard.ts); non-loopback http:// accounts are warned (plainHttpWarning)',
    tests: ['test/unit/security-03-encryption-over-http.test.ts'],
  },
  {
    n: 4,
    severity: 'Medium',
    threat:
      'a proxy URL with a password is stored in accounts.json and sent to the renderer and `account list --json`',
    protection:
      'proxy credentials go to the keychain (secretKeys.proxyCredentials); stored and sent URL has none; joined back for the connection only (accounts/proxy-url.ts)',
    tests: ['test/unit/security-04-proxy-credentials.test.ts'],
  },
  {
    n: 5,
    severity: 'Medium',
    threat: 'a FIFO named .obsignore freezes the process',
    protection:
      'rule files opened O_NONBLOCK|O_NOFOLLOW, read only when regular and at most 1 MiB, others reported',
    tests: ['test/unit/security-05-ignore-file.test.ts'],
  },
  {
    n: 6,
    severity: 'Low',
    threat:
      'a stale or planted cookie beats a valid ?token= (lock-out); query token accepted everywhere; short tokens',
    protection:
      'a valid ?token= on a page load wins and replaces the cookie; cookie named per port; query token refused on assets and the WebSocket; OBS_SYNC_WEB_TOKEN >= 32 characters',
    tests: ['test/unit/security-web-server.test.ts'],
  },
  {
    n: 7,
    severity: 'Low',
    threat: 'GET /.//evil.com/?token=T redirects to //evil.com/ (open redirect)',
    protection: 'the token redirect goes to a path of this origin only (auth.ts sameOriginLocation)',
    tests: ['test/unit/security-web-server.test.ts'],
  },
  {
    n: 8,
    severity: 'Low',
    threat: 'the static server follows links inside the renderer folder',
    protection:
      'only regular files whose real path is inside the renderer folder are served (findStaticFile)',
    tests: ['test/unit/security-web-server.test.ts'],
  },
  {
    n: 9,
    severity: 'Low',
    threat: 'sync:add accepts a file as the folder; the tray hands it to shell.openPath (runs an executable)',
    protection:
      'a watched folder must be a directory on add/edit (sync/watched-folder.ts), on start (folder-presence.ts: "no longer a folder" is missing), and when opened: the tray opens only the real path of a directory',
    tests: ['test/unit/security-09-watched-folder.test.ts'],
  },
  {
    n: 10,
    severity: 'Low',
    threat:
      'downloads overwrite existing files, follow a symlinked subfolder out of the target, resolve relative targets, pass CONIN$/CONOUT$/COM¹, ":" and bidi controls; too long keys fail as INTERNAL',
    protection:
      'safe-path.ts decides: existing files kept (one-object download saves name (n).ext, batches apply --on-exists, final move never replaces unless replace was chosen), folders created one by one with links refused, partial file O_EXCL|O_NOFOLLOW, relative targets refused, reserved names, ":", bidi controls, names > 255 bytes and paths > 4095 bytes refused as UNSAFE_PATH',
    tests: ['test/unit/security-10-downloads.test.ts'],
  },
  {
    n: 11,
    severity: 'Low',
    threat: 'queue.db, state.db and their -wal/-shm are created 0644',
    protection:
      'SQLite files created 0600 before SQLite opens them (data-files.ts), so -wal/-shm get 0600; older files tightened; data folder 0700; a folder open to others is reported (log + activity), not fatal',
    tests: ['test/unit/security-11-data-files.test.ts'],
  },
  {
    n: 12,
    severity: 'Low',
    threat:
      'an account CA file drops NODE_EXTRA_CA_CERTS; the KMS listing ignores the account proxy; HTTPS_PROXY is ignored',
    protection:
      'trustedCertificates = public roots + NODE_EXTRA_CA_CERTS + account CA; one proxy decision (storage/proxy-choice.ts) for S3 and both KMS directories: account proxy, else HTTPS_PROXY/HTTP_PROXY unless NO_PROXY names the host',
    tests: ['test/unit/security-12-trust-store.test.ts', 'test/unit/security-12-proxies.test.ts'],
  },
  {
    n: 13,
    severity: 'Low',
    threat:
      'the renderer is loaded from file:// (CSP header, fuse grantFileProtocolExtraPrivileges); shell.openExternal opens any https URL',
    protection:
      'the page is served by a privileged app:// scheme (standard, secure; electron/app-protocol.ts: built renderer files only, traversal and links out refused, CSP as a response header); no file:// request is allowed, IPC only from app://bundle/index.html; fuse grantFileProtocolExtraPrivileges off (electron-builder.yml); openExternal only for the KMS consoles of the presets and the project docs (electron/external-links.ts)',
    tests: [
      'test/unit/security-13-external-links.test.ts',
      'test/unit/electron-security.test.ts',
      'test/unit/electron-app.test.ts',
      'test/unit/electron-ipc.test.ts',
    ],
  },
]

describe('the security threat list', () => {
  it.each(FINDINGS)('#$n ($severity) $threat: its tests exist and name it', ({ n, tests }) => {
    expect(tests.length).toBeGreaterThan(0)
    for (const file of tests) expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`#${n}\\b`))
  })
})
