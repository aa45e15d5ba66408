import type { JSHandle, Page } from '@playwright/test'

/**
 * A DataTransfer holding one file with the given bytes, made in the page, to dispatch as `dragover` + `drop`
 * (Chromium cannot be made to drag a real file; the web UI reads the same File object either way).
 */
export function fileTransfer(page: Page, name: string, bytes: Buffer): Promise<JSHandle<DataTransfer>> {
  return page.evaluateHandle(
    ({ name, base64 }) => {
      const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([raw], name, { type: 'application/octet-stream' }))
      return dt
    },
    { name, base64: bytes.toString('base64') },
  )
}
