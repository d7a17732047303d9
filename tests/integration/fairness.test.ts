import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres } from '../../server/db/postgres.js';
import { backends, openWritableApp, type TestContext } from './harness.js';
import { multipart, type Village, villagesQuery } from './uploads-helpers.js';

/**
 * One user must not stall the others: while a heavy request runs (an export of every case, hot spots at 400 m on
 * the whole county, a 20,000-row upload), `/api/health` and a light read keep being answered. The embedded
 * database is one connection, so this holds only if the heavy work gives the connection up between its steps
 * and short statements go first (server/db/embedded.ts). The latencies are printed (p50/p95, in ms) for the
 * README; the test asserts the order of events, not durations: light reads finish while the heavy one is
 * still running.
 */
const HEADER = '村代码,排查日期,排查人,零报告,隐患类别,风险等级,情况说明';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN);
};

describe.each(backends)('fairness on %s', (backend) => {
  let ctx: TestContext;
  let villages: Village[];
  let lightUrl: string;
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    villages = (await ctx.db.query<Village>(villagesQuery(20))).rows;
    lightUrl = `/api/admin-units/${villages[0]?.code}`;
  });
  afterAll(async () => ctx?.close());

  /** Runs `heavy` and, until it ends, health checks and light reads one after another (two clients). */
  async function during(name: string, heavy: () => Promise<{ statusCode: number }>) {
    let done = false;
    const light: number[] = [];
    const health: number[] = [];
    let finishedWhileHeavy = 0;
    const started = performance.now();
    const h = heavy().then((res) => {
      done = true;
      return res;
    });
    const probe = async (url: string, into: number[]) => {
      // Let the heavy request start first.
      await new Promise((r) => setTimeout(r, 20));
      // Timed from when the request is due, not from when the event loop got round to sending it: the embedded
      // database runs on the event loop's thread, and a client on a socket waits for that too.
      let due = performance.now();
      while (!done) {
        const res = await ctx.app.inject({ method: 'GET', url });
        expect(res.statusCode, `${url} ${res.body.slice(0, 200)}`).toBe(200);
        into.push(performance.now() - due);
        if (!done) finishedWhileHeavy++;
        due = performance.now() + 5;
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const [res] = await Promise.all([h, probe(lightUrl, light), probe('/api/health', health)]);
    const ms = Math.round(performance.now() - started);
    console.log(
      `[fairness ${backend}] ${name} (${ms} ms): light read p50 ${pct(light, 50)} p95 ${pct(light, 95)} max ` +
        `${pct(light, 100)} (n=${light.length}); health p50 ${pct(health, 50)} p95 ${pct(health, 95)} ` +
        `(n=${health.length})`,
    );
    expect(res.statusCode).toBeLessThan(300);
    return { finishedWhileHeavy, light, health };
  }

  it('answers light reads while every case is exported', async () => {
    const r = await during('export disputes.geojson', () =>
      ctx.app.inject({ method: 'GET', url: '/api/export/disputes.geojson' }),
    );
    expect(r.finishedWhileHeavy).toBeGreaterThanOrEqual(4);
  });

  it('answers light reads while hot spots are computed at 400 m on the whole county', async () => {
    const r = await during('hot spots 400 m county', () =>
      ctx.app.inject({ method: 'GET', url: '/api/analytics/hotspots?cellSize=400' }),
    );
    expect(r.finishedWhileHeavy).toBeGreaterThanOrEqual(4);
  });

  it('answers light reads while a 20,000-row upload is stored', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => {
      const v = villages[i % villages.length] as Village;
      return `${v.code},2023-05-${String(1 + (i % 17)).padStart(2, '0')},公平性测试,否,邻里纠纷,黄,第${i}行`;
    });
    const body = multipart('big.csv', Buffer.from(`${HEADER}\n${lines.join('\n')}\n`));
    const r = await during('upload 20,000 rows', () =>
      ctx.app.inject({ method: 'POST', url: '/api/uploads', payload: body.payload, headers: body.headers }),
    );
    expect(r.finishedWhileHeavy).toBeGreaterThanOrEqual(4);
  });
});

describe.each(backends.filter((b) => b === 'server'))('statement timeout on %s', () => {
  it('cancels any statement over DB_STATEMENT_TIMEOUT_MS: plain queries, transactions and streams alike', async () => {
    const url = inject('serverUrl') as string;
    const db = openPostgres({ connectionString: url, poolSize: 2, statementTimeoutMs: 200 });
    try {
      const slow = 'SELECT pg_sleep(2) AS x, 1 AS k';
      await expect(db.query(slow)).rejects.toMatchObject({ code: '57014' });
      await expect(db.transaction((tx) => tx.query(slow))).rejects.toMatchObject({ code: '57014' });
      const stream = async () => {
        for await (const _ of db.stream({ key: 'k', page: () => ({ text: slow, values: [] }) }, 10)) {
          // drained
        }
      };
      await expect(stream()).rejects.toMatchObject({ code: '57014' });
      // The pool still answers afterwards.
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    } finally {
      await db.close();
    }
  });
});
