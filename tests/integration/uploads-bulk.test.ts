import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, TempValue, Transaction } from '../../server/db/types.js';
import { backends, openAppOn, openWritableApp, type TestContext } from './harness.js';
import { upload } from './uploads-helpers.js';

/**
 * The bulk store behind uploads: each backend loads the rows its own way (COPY FROM STDIN on the PostGIS server,
 * JSON chunks on the embedded database) and must store exactly the same rows; a load broken half-way leaves
 * nothing behind.
 */
describe.each(backends)('bulk upload store on %s', (backend) => {
  let ctx: TestContext;
  const screener = () => `批量-${randomUUID().slice(0, 8)}`;
  const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

  beforeAll(async () => {
    // A database of its own on the server: the screenings stored here would change the counts and extents
    // that other files read from the shared one.
    ctx = await openWritableApp(backend);
  });
  afterAll(async () => ctx?.close());

  it('given village corners and label points without village codes, stores each at the village the database finds', async () => {
    const who = screener();
    // Polygon vertices lie on boundaries shared by neighbouring villages: the lowest code must win, as in SQL.
    const points = (
      await ctx.db.query<{ lon: number; lat: number }>(
        `(SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
            SELECT ST_PointN(ST_ExteriorRing((ST_Dump(geom)).geom), 3) AS p FROM admin_units
            WHERE level = 'village' ORDER BY code LIMIT 40) c)
         UNION ALL
         (SELECT ST_X(label_point), ST_Y(label_point) FROM admin_units WHERE level = 'village' ORDER BY code LIMIT 20)
         UNION ALL SELECT 100.0, 20.0`,
      )
    ).rows;
    const lines = points.map((p) => `${p.lon},${p.lat},2023-05-17,${who},是`);
    const res = await upload(ctx.app, 'corners.csv', `经度,纬度,排查日期,排查人,零报告\n${lines.join('\n')}\n`);
    expect(res.status).toBe(201);
    const expected = await Promise.all(
      points.map(
        async (p) =>
          (
            await ctx.db.query<{ code: string }>(
              `SELECT code FROM admin_units WHERE level = 'village'
                 AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code LIMIT 1`,
              [p.lon, p.lat],
            )
          ).rows[0]?.code ?? null,
      ),
    );
    const got = (
      await ctx.db.query<{ village_code: string; lon: number; lat: number }>(
        `SELECT village_code, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM screenings WHERE screener = $1 ORDER BY id`,
        [who],
      )
    ).rows;
    expect(got.map((r) => [r.lon, r.lat, r.village_code])).toEqual(
      points.flatMap((p, i) => (expected[i] ? [[p.lon, p.lat, expected[i]]] : [])),
    );
    expect(res.body.rowsRejected).toBe(expected.filter((c) => c === null).length);
  });

  it('given text with backslashes, tabs, newlines and quotes, stores every field exactly and in row order', async () => {
    const who = screener();
    const village = (
      await ctx.db.query<{ code: string; town: string }>(
        `SELECT code, parent_code AS town FROM admin_units WHERE level = 'village' ORDER BY code LIMIT 1`,
      )
    ).rows[0] as { code: string; town: string };
    const notes = ['C:\\路径\\N', 'tab\there', 'two\nlines', '"引号" and \\N', '\\', '普通说明'];
    const ids = notes.map(() => randomUUID());
    const lines = notes.map(
      (note, i) =>
        `${ids[i]},${village.code},2023-05-${10 + i},${who},否,邻里纠纷,${['红', '橙', '黄'][i % 3]},${csvField(note)}`,
    );
    const res = await upload(
      ctx.app,
      'text.csv',
      `编号,村代码,排查日期,排查人,零报告,隐患类别,风险等级,情况说明\n${lines.join('\n')}\n`,
    );
    expect(res.body).toMatchObject({ rowsAccepted: notes.length, rowsRejected: 0 });
    const rows = (
      await ctx.db.query(
        `SELECT s.client_id::text AS client_id, s.village_code, s.town_code, s.screened_on::text AS screened_on,
                s.zero_report, s.location_mismatch, s.geom IS NULL AS no_geom, s.area IS NULL AS no_area,
                s.batch_id, i.category, i.risk_level, i.note
         FROM screenings s JOIN screening_items i ON i.screening_id = s.id WHERE s.screener = $1 ORDER BY s.id`,
        [who],
      )
    ).rows;
    expect(rows).toEqual(
      notes.map((note, i) => ({
        client_id: ids[i],
        village_code: village.code,
        town_code: village.town,
        screened_on: `2023-05-${10 + i}`,
        zero_report: false,
        location_mismatch: false,
        no_geom: true,
        no_area: true,
        batch_id: res.body.id,
        category: 'neighbour',
        risk_level: ['red', 'orange', 'yellow'][i % 3],
        note,
      })),
    );
  });

  it('given rows stored by an earlier batch, stores the rest and reports each skipped row with that batch', async () => {
    const who = screener();
    const village = (
      await ctx.db.query<{ code: string }>(`SELECT code FROM admin_units WHERE level = 'village' ORDER BY code LIMIT 1`)
    ).rows[0] as { code: string };
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const file = (ids: string[]) =>
      `编号,村代码,排查日期,排查人,零报告\n${ids.map((id) => `${id},${village.code},2023-05-17,${who},是`).join('\n')}\n`;
    const first = await upload(ctx.app, 'a.csv', file([a, b]));
    const second = await upload(ctx.app, 'b.csv', file([c, b, a]));
    expect(second.body).toMatchObject({ rowsAccepted: 1, rowsDuplicate: 2, rowsRejected: 0 });
    expect(second.body.report).toEqual([
      {
        row: 3,
        field: 'client_id',
        code: 'already_stored',
        params: { batch: first.body.id },
        reason: `already stored by batch ${first.body.id}, not stored again`,
        severity: 'warning',
      },
      {
        row: 4,
        field: 'client_id',
        code: 'already_stored',
        params: { batch: first.body.id },
        reason: `already stored by batch ${first.body.id}, not stored again`,
        severity: 'warning',
      },
    ]);
    const stored = await ctx.db.query<{ client_id: string; batch_id: number }>(
      'SELECT client_id::text AS client_id, batch_id FROM screenings WHERE screener = $1 ORDER BY id',
      [who],
    );
    expect(stored.rows).toEqual([
      { client_id: a, batch_id: first.body.id },
      { client_id: b, batch_id: first.body.id },
      { client_id: c, batch_id: second.body.id },
    ]);
  });

  it('given re-sent rows among new ones with risk items, stores each new row with its own items and skips the rest', async () => {
    // The re-sent row ends the fast COPY of the chunk; the chunk is stored again the slow way, from the same
    // reserved ids: each item must still land on its own screening, and the skipped row's item nowhere.
    const who = screener();
    const village = (
      await ctx.db.query<{ code: string }>(`SELECT code FROM admin_units WHERE level = 'village' ORDER BY code LIMIT 1`)
    ).rows[0] as { code: string };
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const file = (rows: number[]) =>
      `编号,村代码,排查日期,排查人,零报告,隐患类别,风险等级,情况说明\n${rows
        .map((k) => `${ids[k]},${village.code},2023-05-1${k},${who},否,其他,蓝,说明${k}`)
        .join('\n')}\n`;
    const first = await upload(ctx.app, 'first.csv', file([1]));
    expect(first.body).toMatchObject({ rowsAccepted: 1 });
    const second = await upload(ctx.app, 'second.csv', file([0, 1, 2, 3, 4]));
    expect(second.body).toMatchObject({ rowsAccepted: 4, rowsDuplicate: 1, rowsRejected: 0 });
    const rows = (
      await ctx.db.query<{ client_id: string; batch_id: number; notes: string[] }>(
        `SELECT s.client_id::text AS client_id, s.batch_id::int AS batch_id,
                array_agg(i.note ORDER BY i.id) AS notes
         FROM screenings s JOIN screening_items i ON i.screening_id = s.id
         WHERE s.screener = $1 GROUP BY s.id ORDER BY s.screened_on`,
        [who],
      )
    ).rows;
    expect(rows).toEqual(
      [0, 1, 2, 3, 4].map((k) => ({
        client_id: ids[k],
        batch_id: k === 1 ? first.body.id : second.body.id,
        notes: [`说明${k}`],
      })),
    );
  });

  it('given a bulk load broken half-way, leaves no rows and no batch, and the database serves the re-send', async () => {
    const who = screener();
    const village = (
      await ctx.db.query<{ code: string }>(`SELECT code FROM admin_units WHERE level = 'village' ORDER BY code LIMIT 1`)
    ).rows[0] as { code: string };
    const n = 5000;
    const csv = `村代码,排查日期,排查人,零报告,情况说明\n${Array.from({ length: n }, (_, i) => `${village.code},2023-05-17,${who},是,第${i}条`).join('\n')}\n`;
    const key = randomUUID();
    let handedOver = 0;
    // The real database, whose rows stop coming after 4,500 of 5,000: on the server, a COPY cut off mid-stream.
    const cut = function* (rows: Iterable<readonly TempValue[]>) {
      for (const r of rows) {
        if (handedOver === 4500) throw new Error('upload stream cut');
        handedOver++;
        yield r;
      }
    };
    const breaking: Db = Object.create(ctx.db, {
      transaction: {
        value: <T>(fn: (tx: Transaction) => Promise<T>) =>
          ctx.db.transaction((tx) =>
            fn({
              query: (text, values) => tx.query(text, values),
              loadTemp: (table, columns, rows) => tx.loadTemp(table, columns, cut(rows)),
              copyRows: (table, columns, rows) => tx.copyRows(table, columns, cut(rows)),
              savepoint: (name, body) => tx.savepoint(name, body),
            }),
          ),
      },
    });
    // Its own app on the wrapped database, signed in as the administrator like ctx.app (closing the app only:
    // the database is ctx's).
    const { app } = await openAppOn(breaking);
    const failed = await upload(app, 'cut.csv', csv, '', { 'idempotency-key': key });
    await app.close();
    expect(failed.status).toBe(500);
    expect(handedOver).toBe(4500);
    const count = async () =>
      (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM screenings WHERE screener = $1', [who]))
        .rows[0]?.n;
    expect(await count()).toBe(0);
    expect((await ctx.db.query('SELECT id FROM upload_batches WHERE idempotency_key = $1', [key])).rows).toEqual([]);
    const resent = await upload(ctx.app, 'cut.csv', csv, '', { 'idempotency-key': key });
    expect(resent.body).toMatchObject({ rowsAccepted: n, rowsDuplicate: 0 });
    expect(await count()).toBe(n);
  });
});
