import { afterAll, describe, expect, inject, it } from 'vitest';
import { openPostgres } from '../../server/db/postgres.js';
import { selectedBackends } from '../integration/selection.js';
import { type ServerProcess, startServer } from './server-process.js';

/** Reads a response body to the end, counting bytes and lines. */
async function drain(res: Response): Promise<{ bytes: number; lines: number; last: string }> {
  let bytes = 0;
  let lines = 0;
  let tail = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines += 1;
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-2000);
  }
  return { bytes, lines, last: tail.trimEnd().split('\n').pop() ?? '' };
}

describe.each(selectedBackends(process.env))('graceful shutdown on %s', (backend) => {
  let server: ServerProcess | undefined;
  afterAll(async () => server?.stop());

  it('given exports streaming when SIGTERM arrives, finishes each of them completely, then exits 0 with the pool closed', async () => {
    server = await startServer(backend);
    const path = '/api/export/disputes.ndjson';
    // The whole export once, undisturbed: what each in-flight copy must equal.
    const full = await drain(await server.fetch(path));
    expect(full.lines).toBeGreaterThan(10_000);

    // Three exports in flight: their headers have arrived, their bodies have not.
    const inFlight = await Promise.all([1, 2, 3].map(() => server?.fetch(path) as Promise<Response>));
    for (const res of inFlight) expect(res.status).toBe(200);
    process.kill(server.pid, 'SIGTERM');
    const done = await Promise.all(inFlight.map(drain));
    for (const d of done) {
      expect({ bytes: d.bytes, lines: d.lines }).toEqual({ bytes: full.bytes, lines: full.lines });
      expect(() => JSON.parse(d.last)).not.toThrow();
    }
    // New requests are refused once it is closing (connection refused, or 503 on a kept-alive connection).
    const late = await fetch(`${server.base}/api/health`).then(
      (res) => res.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    expect(await server.exited, server.output()).toEqual({ code: 0, signal: null });

    if (backend === 'server') {
      // The pool was closed (db.close), not just abandoned: no session of the app is left on the server.
      const url = inject('reliabilityServerUrl') as string;
      const admin = openPostgres({ connectionString: url, poolSize: 1, statementTimeoutMs: 10_000 });
      try {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE application_name = 'joint-mediation-map' AND datname = current_database() AND pid <> pg_backend_pid()`,
        );
        expect(rows[0]?.n).toBe(0);
      } finally {
        await admin.close();
      }
    }
    // (Embedded: exit code 0 is only reached after db.close() resolved — server.ts exits 1 otherwise.)
  });
});
