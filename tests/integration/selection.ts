export type TestBackend = 'embedded' | 'server';

/**
 * Embedded PGlite always; the PostGIS server too when TEST_DATABASE_URL is set. TEST_BACKEND=server (or
 * embedded) narrows a run to one of them, as CI does for its second pass.
 */
export function selectedBackends(env: NodeJS.ProcessEnv): TestBackend[] {
  const all: TestBackend[] = env.TEST_DATABASE_URL ? ['embedded', 'server'] : ['embedded'];
  const only = env.TEST_BACKEND;
  if (only === undefined || only === '') return all;
  if (only !== 'embedded' && only !== 'server') throw new Error(`TEST_BACKEND must be embedded or server, not ${only}`);
  if (only === 'server' && !env.TEST_DATABASE_URL) throw new Error('TEST_BACKEND=server needs TEST_DATABASE_URL');
  return [only];
}
