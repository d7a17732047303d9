import type { TestProject } from 'vitest/node';
import { prepareEmbeddedSnapshot, prepareServerDatabase } from './prepare.js';
import { selectedBackends } from './selection.js';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedSnapshot: string | null;
    serverUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const log = (m: string) => console.log(`[integration] ${m}`);
  const backends = selectedBackends(process.env);
  log(`backends: ${backends.join(', ')}`);
  project.provide('embeddedSnapshot', backends.includes('embedded') ? await prepareEmbeddedSnapshot(log) : null);
  const url = process.env.TEST_DATABASE_URL ?? null;
  if (backends.includes('server') && url) await prepareServerDatabase(url, log);
  project.provide('serverUrl', backends.includes('server') ? url : null);
}
