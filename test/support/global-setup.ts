import type { TestProject } from 'vitest/node'
import { startServices, type TestServices } from './services'

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices
  }
}

/** Integration tier: real services, started once per run and stopped by PID at the end, also after a failure. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { services, stop } = await startServices()
  project.provide('services', services)
  return stop
}
