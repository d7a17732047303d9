import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openEmbedded } from '../../server/db/embedded.js';
import type { Queryable } from '../../server/db/index.js';
import { openPostgres } from '../../server/db/postgres.js';
import { selectedBackends, type TestBackend } from '../integration/selection.js';
import { copyEmbeddedDataDir, root, type ServerProcess, startServer } from './server-process.js';

const run = promisify(execFile);
const PGBIN = process.env.PGBIN ?? '/usr/lib/postgresql/15/bin';
const uploadRows = Number(process.env.RELIABILITY_UPLOAD_ROWS ?? 15_000);

/** A multipart body with one CSV file part, as the upload page sends it. */
function multipart(fileName: string, content: string) {
  const boundary = `----reliability${randomUUID()}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(server: ServerProcess, csv: string, key: string) {
  const { body, contentType } = multipart('batch.csv', csv);
  return server.fetch('/api/uploads', {
    method: 'POST',
    body,
    headers: { 'content-type': contentType, 'idempotency-key': key },
  });
}

async function villageCodes(server: ServerProcess): Promise<string[]> {
  const res = await server.fetch('/api/admin-units?level=village');
  expect(res.status).toBe(200);
  const fc = (await res.json()) as { features: { properties: { code: string } }[] };
  return fc.features.map((f) => f.properties.code).sort();
}

/** Zero reports ("nothing to report") of one screener over the villages, one row per village and day. */
function batchCsv(villages: string[], screener: string, rows: number): string {
  const lines = ['村代码,排查日期,排查人,零报告'];
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2019, 0, 1) + Math.floor(i / villages.length) * 86_400_000);
    lines.push(`${villages[i % villages.length]},${day.toISOString().slice(0, 10)},${screener},是`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The batch's rows and records; `seen`: as readers see them (the embedded database commits a large upload in
 * parts behind a 'storing' batch, which a kill leaves behind until the next start removes it).
 */
async function counts(db: Queryable, screener: string, key: string, { seen = false } = {}) {
  const s = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM ${seen ? 'visible_screenings' : 'screenings'} WHERE screener = $1`,
    [screener],
  );
  const b = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM upload_batches WHERE idempotency_key = $1${seen ? " AND status <> 'storing'" : ''}`,
    [key],
  );
  return { screenings: Number(s.rows[0]?.n), batches: Number(b.rows[0]?.n) };
}

/** Runs `fn` with a connection to the database the process used (the PGlite directory once it is free). */
async function withDatabase<T>(backend: TestBackend, dataDir: string, fn: (db: Queryable) => Promise<T>) {
  const db =
    backend === 'server'
      ? openPostgres({
          connectionString: inject('reliabilityServerUrl') as string,
          poolSize: 1,
          statementTimeoutMs: 30_000,
        })
      : await openEmbedded({ dataDir: join(dataDir, 'pglite') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe.each(selectedBackends(process.env))('process killed during a bulk upload on %s', (backend) => {
  let dataDir = '';
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    if (backend === 'embedded') dataDir = await copyEmbeddedDataDir();
  });
  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`given SIGKILL while a ${uploadRows}-row batch is being stored, leaves no part of it; the re-sent batch with the same Idempotency-Key lands exactly once`, async () => {
    server = await startServer(backend, dataDir ? { dataDir } : {});
    const villages = await villageCodes(server);
    const screener = `kill-${randomUUID().slice(0, 8)}`;
    const key = `reliability-${randomUUID()}`;
    const csv = batchCsv(villages, screener, uploadRows);

    const first = upload(server, csv, key).then(
      (res) => ({ status: res.status }),
      (err: Error) => ({ error: err }),
    );
    // Kill once the rows are being written: the progress endpoint says 'storing' (inside the transaction), or, on
    // the embedded database, whose store runs on the app's own event loop, the endpoint stops answering after
    // the rows were validated (the loop is busy in the store).
    let stage = '';
    let stalled = false;
    for (let i = 0; i < 20_000 && stage !== 'storing' && stage !== 'done' && !stalled; i++) {
      const past = stage === 'validating' || stage === 'locating';
      try {
        const res = await server.fetch(`/api/uploads/progress/${key}`, {
          signal: AbortSignal.timeout(past ? 300 : 30_000),
        });
        const text = await res.text();
        stage = res.status === 200 ? (JSON.parse(text) as { stage: string }).stage : '';
      } catch {
        stalled = past;
      }
    }
    expect(stage === 'storing' || stalled, `killed at stage ${stage}`).toBe(true);
    process.kill(server.pid, 'SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // The request died with the process: it was never acknowledged.
    expect(await first).toHaveProperty('error');

    expect(await withDatabase(backend, dataDir, (db) => counts(db, screener, key, { seen: true }))).toEqual({
      screenings: 0,
      batches: 0,
    });

    // Back up on the same database (PGlite recovers its directory), and the same batch again.
    server = await startServer(backend, dataDir ? { dataDir } : {});
    const again = await upload(server, csv, key);
    const body = (await again.json()) as { rowsAccepted: number; rowsTotal: number };
    expect(again.status).toBe(201);
    expect(body.rowsTotal).toBe(uploadRows);
    expect(body.rowsAccepted).toBe(uploadRows);
    const replay = await upload(server, csv, key);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ replayed: true, rowsAccepted: uploadRows });
    await server.stop();
    server = undefined;
    expect(await withDatabase(backend, dataDir, (db) => counts(db, screener, key))).toEqual({
      screenings: uploadRows,
      batches: 1,
    });
  });
});

/** A PostGIS server of the test's own (it is stopped and started again), holding a copy of the suite's database. */
async function ownPostgis() {
  const dir = await mkdtemp(join(tmpdir(), 'reliability-pg-'));
  await chmod(dir, 0o755);
  const env = { ...process.env, PGSTATE: join(dir, 'pgstate') };
  const pgDir = join(dir, 'pg');
  const { stdout } = await run('bash', [join(root, '.ci/postgis.sh'), 'start', pgDir], { env });
  const url = stdout.trim().split('\n').pop() as string;
  const state = Object.fromEntries(
    (await readFile(join(pgDir, '.state'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split('=') as [string, string]),
  ) as { pgdata: string; port: string; dir: string };
  // The suite's prepared database (migrated, seeded, with its service token), copied over. If the copy fails, the
  // server just started is stopped and removed here: the caller never gets a handle to do it.
  const dump = `${PGBIN}/pg_dump --no-owner ${JSON.stringify(inject('reliabilityServerUrl'))}`;
  try {
    await run(
      'bash',
      ['-o', 'pipefail', '-c', `${dump} | ${PGBIN}/psql -X -q -v ON_ERROR_STOP=1 ${JSON.stringify(url)}`],
      {
        maxBuffer: 256 * 1024 * 1024,
      },
    );
  } catch (err) {
    await run('bash', [join(root, '.ci/postgis.sh'), 'stop', pgDir], { env }).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const pgCtl = (...args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', `${PGBIN}/pg_ctl`, '-D', state.pgdata, ...args]);
  return {
    url,
    stopServer: () => pgCtl('-m', 'fast', '-w', '-t', '30', 'stop'),
    // The options .ci/postgis.sh starts it with, on the same port.
    startServer: () =>
      pgCtl(
        '-l',
        join(state.dir, 'postgres.log'),
        '-w',
        '-t',
        '60',
        'start',
        '-o',
        `-c listen_addresses=127.0.0.1 -p ${state.port} -c unix_socket_directories='${state.dir}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      ),
    async remove() {
      // The restarted server has a new postmaster PID that .ci/postgis.sh's state file does not know: stop it
      // through pg_ctl first, else it outlives the test with its directory deleted.
      await pgCtl('-m', 'immediate', '-w', '-t', '30', 'stop').catch(() => {});
      await run('bash', [join(root, '.ci/postgis.sh'), 'stop', pgDir], { env }).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe.each(selectedBackends(process.env).filter((b) => b === 'server'))(
  'database restarted during writes on %s (PostGIS server only: the embedded database lives inside the app process)',
  (backend) => {
    let pg: Awaited<ReturnType<typeof ownPostgis>> | undefined;
    let server: ServerProcess | undefined;
    afterAll(async () => {
      await server?.stop();
      await pg?.remove();
    });

    it('given the database stopped and started under a stream of writes, answers 503 + Retry-After while it is down, recovers by itself, and keeps every acknowledged write', async () => {
      pg = await ownPostgis();
      server = await startServer(backend, { databaseUrl: pg.url, env: { DB_POOL_SIZE: '4' } });
      const villages = (await villageCodes(server)).slice(0, 5);
      const tag = `restart-${randomUUID().slice(0, 8)}`;
      const acked: string[] = [];
      const statuses = new Map<number, number>();
      const unexpected: string[] = [];
      let phase: 'before' | 'down' | 'after' = 'before';
      let okAfter = 0;
      let stop = false;
      let seq = 0;
      const writer = async () => {
        while (!stop) {
          const screener = `${tag}-${seq++}`;
          const res = await upload(server as ServerProcess, batchCsv(villages, screener, 3), `k-${screener}`).catch(
            (err: Error) => err,
          );
          if (res instanceof Error) {
            unexpected.push(`${screener}: ${res.message}`);
            continue;
          }
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const text = await res.text();
          if (res.status === 201) {
            acked.push(screener);
            if (phase === 'after') okAfter += 1;
          } else if (res.status === 503) {
            if (!res.headers.get('retry-after')) unexpected.push(`${screener}: 503 without Retry-After`);
            await new Promise((r) => setTimeout(r, 50));
          } else {
            unexpected.push(`${screener}: ${res.status} ${text.slice(0, 200)}`);
          }
        }
      };
      const writers = [writer(), writer()];
      const until = async (cond: () => boolean, ms: number) => {
        const deadline = Date.now() + ms;
        while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      };
      await until(() => acked.length >= 5, 30_000);
      phase = 'down';
      await pg.stopServer();
      const down503 = () => statuses.get(503) ?? 0;
      await until(() => down503() >= 4, 20_000);
      const healthDown = await server.fetch('/api/health').catch((err: Error) => {
        throw new Error(`${err.message}: the app is not answering:\n${server?.output()}`);
      });
      await pg.startServer();
      phase = 'after';
      await until(() => okAfter >= 5, 60_000);
      stop = true;
      await Promise.all(writers);

      console.log(
        `[reliability] restart: ${acked.length} writes acknowledged, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(unexpected, server.output()).toEqual([]);
      expect(down503()).toBeGreaterThanOrEqual(4);
      expect(healthDown.status).toBe(503);
      expect(healthDown.headers.get('retry-after')).toBeTruthy();
      expect(okAfter).toBeGreaterThanOrEqual(5);
      expect([...statuses.keys()].sort()).toEqual([201, 503]);

      const db = openPostgres({ connectionString: pg.url, poolSize: 1, statementTimeoutMs: 30_000 });
      try {
        const { rows } = await db.query<{ screener: string; n: number }>(
          'SELECT screener, count(*) AS n FROM screenings WHERE screener LIKE $1 GROUP BY screener',
          [`${tag}-%`],
        );
        const stored = new Map(rows.map((r) => [r.screener, Number(r.n)]));
        // Every acknowledged batch is there whole (3 rows); nothing else half-stored.
        expect(acked.filter((s) => stored.get(s) !== 3)).toEqual([]);
        expect([...stored.values()].filter((n) => n !== 3)).toEqual([]);
      } finally {
        await db.close();
      }
    });
  },
);
