import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.js';
import { backends, openAppOn, openWritableApp, type TestContext } from './harness.js';

// One command = one transaction. Writes cases: on the PostGIS server a database of its own (openWritableApp).

/**
 * The database the app runs on, with a hook after each committed transaction: there, `afterCommit` runs once,
 * as another request would that slipped in between two of a command's transactions.
 */
function withHookAfterCommit(db: Db) {
  let afterCommit: (() => Promise<void>) | null = null;
  const hooked: Db = {
    backend: db.backend,
    detached: db.detached,
    query: (text, values) => db.query(text, values),
    exec: (text) => db.exec(text),
    vectorTile: (req) => db.vectorTile(req),
    stream: (q, n) => db.stream(q, n),
    streamLines: (q, c, n) => db.streamLines(q, c, n),
    listen: (channel, onMessage, onReconnect) => db.listen(channel, onMessage, onReconnect),
    async transaction(fn) {
      const result = await db.transaction(fn);
      const hook = afterCommit;
      afterCommit = null;
      if (hook) await hook();
      return result;
    },
    // The suite's context closes the real database.
    close: async () => {},
  };
  return { db: hooked, arm: (fn: () => Promise<void>) => (afterCommit = fn) };
}

describe.each(backends)('transactions of the case workflow on the %s database', (backend) => {
  let ctx: TestContext;
  let hooked: TestContext;
  let arm: (fn: () => Promise<void>) => void;
  let point: { lon: number; lat: number };

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    const h = withHookAfterCommit(ctx.db);
    arm = h.arm;
    hooked = await openAppOn(h.db);
    const { rows } = await ctx.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units WHERE level = 'village'
       ORDER BY code LIMIT 1`,
    );
    point = { lon: Number(rows[0]?.lon), lat: Number(rows[0]?.lat) };
  });
  afterAll(async () => {
    await hooked?.close();
    await ctx?.close();
  });

  const post = async (url: string, payload: object) => {
    const res = await hooked.app.inject({ method: 'POST', url, payload });
    return { status: res.statusCode, body: res.json() as { id: number; version: number } };
  };

  it('reopens in one transaction: an edit committed meanwhile leaves no orphan linked case', async () => {
    let c = (await post('/api/disputes', { category: 'neighbour', riskLevel: 'orange', ...point })).body;
    for (const step of [{ to: 'accepted' }, { to: 'mediating' }, { to: 'resolved', level: 'village' }]) {
      c = (await post(`/api/disputes/${c.id}/transitions`, { version: c.version, ...step })).body;
    }
    // Someone edits the old case right after the reopen's first commit.
    arm(async () => {
      await ctx.db.query('UPDATE disputes SET version = version + 1, summary = $2 WHERE id = $1', [c.id, '同时编辑']);
    });
    const reopen = await post(`/api/disputes/${c.id}/reopen`, { version: c.version });
    const linked = await ctx.db.query<{ id: number }>('SELECT id FROM disputes WHERE reopened_from_id = $1', [c.id]);
    const marks = await ctx.db.query<{ linked: number }>(
      `SELECT linked_dispute_id AS linked FROM case_events WHERE dispute_id = $1 AND kind = 'reopened'`,
      [c.id],
    );
    // Every linked case is marked on the old one, and exists only if the reopen answered 201.
    expect(linked.rows.map((r) => Number(r.id))).toEqual(marks.rows.map((r) => Number(r.linked)));
    expect(linked.rows).toHaveLength(reopen.status === 201 ? 1 : 0);
  });

  it('registers cases at the same time, each with a number of its own (the case number was max + 1: a 409)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/disputes',
          payload: { category: 'neighbour', riskLevel: i % 2 ? 'blue' : 'yellow', ...point },
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201));
    const numbers = answers.map((a) => (a.json() as { caseNo: string }).caseNo);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('refuses a db.query while a transaction is open in the same flow, saying to pass the transaction', async () => {
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        await ctx.db.query('SELECT 1');
      }),
    ).rejects.toThrow(/pass the transaction \(tx\) down/);
    await expect(ctx.db.transaction(() => ctx.db.transaction(async () => 1))).rejects.toThrow(/db\.transaction/);
    // Outside, and after the transaction ended, the database answers as usual.
    expect((await ctx.db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    expect(await ctx.db.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT 2 AS n')).rows[0]?.n)).toBe(2);
  });

  it('runs a detached statement on its own, after the open transaction on the embedded database', async () => {
    const order: string[] = [];
    await ctx.db.transaction(async (tx) => {
      void ctx.db.detached.query('SELECT 1').then(() => order.push('detached'));
      await tx.query('SELECT 1');
      order.push('tx');
    });
    await ctx.db.query('SELECT 1');
    expect(order).toContain('detached');
  });
});
