import { randomUUID } from 'node:crypto';
import { distance } from '@turf/turf';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Transaction } from '../../server/db/types.js';
import { fromWgs84 } from '../../server/domain/ingest/coordinates.js';
import { UPLOAD_LIMITS } from '../../server/routes/uploads/index.js';
import { backends, openAppOn, openWritableApp, type TestContext } from './harness.js';
import { upload, type Village, villagesQuery } from './uploads-helpers.js';

const HEADER = '村代码,乡镇,村(社区),排查日期,排查人,经度,纬度,零报告,隐患类别,风险等级,情况说明';

describe.each(backends)('uploads on %s', (backend) => {
  let ctx: TestContext;
  let villages: Village[];
  /** A unique screener name per test, so that assertions only see this test's rows on a shared server. */
  const screener = () => `测试员-${randomUUID().slice(0, 8)}`;
  const stored = async (who: string) =>
    (
      await ctx.db.query<{
        village_code: string;
        lon: number;
        lat: number;
        location_mismatch: boolean;
        items: number;
        note: string | null;
      }>(
        `SELECT s.village_code, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, s.location_mismatch,
                (SELECT count(*)::int FROM screening_items i WHERE i.screening_id = s.id) AS items,
                (SELECT min(note) FROM screening_items i WHERE i.screening_id = s.id) AS note
         FROM screenings s WHERE s.screener = $1 ORDER BY s.id`,
        [who],
      )
    ).rows;

  beforeAll(async () => {
    // A database of its own on the server: the screenings stored here would change the counts and extents
    // that other files read from the shared one.
    ctx = await openWritableApp(backend);
    villages = (await ctx.db.query<Village>(villagesQuery(4))).rows;
  });
  afterAll(async () => ctx?.close());

  it('given a GBK CSV with GCJ-02 coordinates and no village, stores each row at the village containing it', async () => {
    const who = screener();
    const lines = villages.slice(0, 3).map((v) => {
      const [x, y] = fromWgs84(v.lon, v.lat, 'gcj02');
      return `,,,2023/5/17,${who},${x.toFixed(7)},${y.toFixed(7)},否,邻里纠纷,红色,宅基地界址争议`;
    });
    const gbk = iconv.encode(`${HEADER}\r\n${lines.join('\r\n')}\r\n`, 'gbk');
    const res = await upload(ctx.app, '排查.csv', gbk, 'crs=gcj02');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      encoding: 'gb18030',
      crs: 'gcj02',
      rowsTotal: 3,
      rowsAccepted: 3,
      rowsRejected: 0,
    });
    const rows = await stored(who);
    expect(rows.map((r) => r.village_code)).toEqual(villages.slice(0, 3).map((v) => v.code));
    rows.forEach((r, i) => {
      const v = villages[i] as Village;
      expect(distance([r.lon, r.lat], [v.lon, v.lat], { units: 'meters' })).toBeLessThan(2);
      expect(r.note).toBe('宅基地界址争议');
    });
  });

  it('given UTF-8 with a BOM, resolves villages by name and town and flags a location that disagrees', async () => {
    const who = screener();
    const [a, b] = villages as [Village, Village];
    const csv = `\uFEFF${HEADER}\n,${a.town_name},${a.name},2023年5月17日,${who},,,是,,,\n,,${a.name},45063,${who},${b.lon},${b.lat},否,劳资纠纷,黄,\n`;
    const res = await upload(ctx.app, 'bom.csv', csv);
    expect(res.body).toMatchObject({ encoding: 'utf-8-bom', rowsAccepted: 2, rowsRejected: 0 });
    expect(res.body.report).toEqual([
      expect.objectContaining({
        row: 3,
        field: 'lon,lat',
        severity: 'warning',
        reason: expect.stringContaining(b.name),
      }),
    ]);
    const rows = await stored(who);
    expect(rows.map((r) => [r.village_code, r.location_mismatch, r.items])).toEqual([
      [a.code, false, 0],
      [a.code, true, 1],
    ]);
  });

  it('given bad rows, stores the valid part and reports row, field and reason', async () => {
    const who = screener();
    const v = villages[0] as Village;
    const csv = [
      HEADER,
      `${v.code},,,2023-05-17,${who},,,否,邻里纠纷,红,ok`,
      `4307,,,2023-13-01,${who},,,否,邻里纠纷,红,bad code and date`,
      `${v.code},,,2023-05-17,${who},abc,29,否,打架,紫,bad`,
      `,,,2023-05-17,${who},100,20,是,,,outside`,
      `${v.code},,,2023-05-18,${who},,,否,医疗纠纷,蓝,ok`,
    ].join('\n');
    const res = await upload(ctx.app, 'mixed.csv', csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rowsTotal: 5, rowsAccepted: 2, rowsRejected: 3, status: 'stored' });
    expect(res.body.report?.map((r) => [r.row, r.field])).toEqual([
      [3, 'village_code'],
      [3, 'screened_on'],
      [4, 'lon'],
      [4, 'category'],
      [4, 'risk_level'],
      [5, 'lon,lat'],
    ]);
    // Each reason as a stable code with its parameters (the web app translates them), and in English for API clients.
    expect(res.body.report?.map((r) => [r.row, r.code, r.params])).toEqual([
      [3, 'not_village_code', { value: '4307' }],
      [3, 'not_date', { value: '2023-13-01' }],
      [4, 'not_longitude', { value: 'abc' }],
      [4, 'unknown_category', { value: '打架' }],
      [4, 'unknown_risk_level', { value: '紫' }],
      [5, 'outside_villages', { lon: '100.000000', lat: '20.000000' }],
    ]);
    expect(res.body.report?.[0]?.reason).toBe('"4307" is not a 12-digit code');
    expect((await stored(who)).length).toBe(2);
    const csvReport = async (query: string, headers: Record<string, string> = {}) =>
      ctx.app.inject({ method: 'GET', url: `/api/uploads/${res.body.id}/report.csv${query}`, headers });
    const report = await csvReport('');
    expect(report.headers['content-type']).toMatch(/text\/csv/);
    expect(report.body.startsWith('\uFEFF')).toBe(true);
    // The downloadable report in the caller's language: Chinese by default, English when asked.
    const lines = (r: { body: string }) => r.body.slice(1).trim().split('\r\n');
    expect(lines(report)[0]).toBe('行,字段,类型,原因');
    expect(lines(report)[1]).toBe('3,village_code,错误,“4307”不是 12 位村代码');
    expect(report.headers['content-language']).toBe('zh-CN');
    const english = await csvReport('?lang=en');
    expect(lines(english)[0]).toBe('row,field,severity,reason');
    expect(lines(english)[1]).toBe('3,village_code,error,"""4307"" is not a 12-digit code"');
    expect(lines(await csvReport('', { 'accept-language': 'en-GB,en;q=0.9,zh-CN;q=0.5' }))[1]).toBe(lines(english)[1]);
    expect(lines(await csvReport('', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }))[1]).toBe(lines(report)[1]);
    expect((await csvReport('?lang=fr')).statusCode).toBe(400);
  });

  it('given a CSV with a NUL in a cell and in a header, refuses that row by its line number and stores the rest', async () => {
    const who = screener();
    const v = villages[0] as Village;
    const csv = [
      `${HEADER},备\u0000注`,
      `${v.code},,,2023-05-17,${who},,,否,邻里纠纷,红,ok,`,
      `${v.code},,,2023-05-17,${who},,,否,邻里纠纷,红,bad\u0000note,`,
      `${v.code},,,2023-05-18,${who},,,否,医疗纠纷,蓝,ok,`,
    ].join('\n');
    const res = await upload(ctx.app, 'nul.csv', csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rowsTotal: 3, rowsAccepted: 2, rowsRejected: 1, status: 'stored' });
    expect(res.body.report?.map((r) => [r.row, r.field, r.code, r.severity])).toEqual([
      [1, '备\u2400注', 'unknown_column', 'warning'],
      [3, 'note', 'nul_character', 'error'],
    ]);
    expect((await stored(who)).map((r) => r.note)).toEqual(['ok', 'ok']);
  });

  it('given all-or-nothing and one bad row, stores nothing and answers 422 with the report', async () => {
    const who = screener();
    const v = villages[0] as Village;
    const csv = `${HEADER}\n${v.code},,,2023-05-17,${who},,,否,邻里纠纷,红,ok\n${v.code},,,someday,${who},,,否,邻里纠纷,红,bad\n`;
    const res = await upload(ctx.app, 'aon.csv', csv, 'mode=all_or_nothing');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 'rejected', rowsAccepted: 0, rowsRejected: 1 });
    expect(res.body.report?.[0]).toMatchObject({ row: 3, field: 'screened_on' });
    expect(await stored(who)).toEqual([]);
  });

  it('given the same batch re-sent with its idempotency key, returns the first result and stores it once', async () => {
    const who = screener();
    const v = villages[1] as Village;
    const csv = `${HEADER}\n${v.code},,,2023-05-17,${who},,,是,,,\n${v.code},,,2023-05-18,${who},,,否,其他,蓝,\n`;
    const key = randomUUID();
    const first = await upload(ctx.app, 'a.csv', csv, '', { 'idempotency-key': key });
    const again = await upload(ctx.app, 'a.csv', csv, '', { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, replayed: true, rowsAccepted: 2 });
    // The same file again without the key: its rows carry the same derived ids and are not stored twice.
    const third = await upload(ctx.app, 'a.csv', csv);
    expect(third.body).toMatchObject({ rowsAccepted: 0, rowsDuplicate: 2 });
    expect((await stored(who)).length).toBe(2);
  });

  it('answers the progress poll on another app instance than the one doing the upload', async () => {
    const who = screener();
    const v = villages[3] as Village;
    const rows = Array.from({ length: 40 }, (_, i) => `${v.code},,,2023-05-${10 + (i % 9)},${who},,,是,,,`);
    const key = randomUUID();
    // A second instance on the same database, as behind a load balancer: it did not see the upload itself.
    const other = await openAppOn(ctx.db);
    try {
      const unknown = await other.app.inject({ method: 'GET', url: `/api/uploads/progress/${key}` });
      expect(unknown.statusCode).toBe(404);
      const res = await upload(ctx.app, 'progress.csv', `${HEADER}\n${rows.join('\n')}\n`, '', {
        'idempotency-key': key,
      });
      expect(res.status).toBe(201);
      // The last write of the progress is not awaited by the upload: poll until it is there.
      let body: { stage?: string; done?: number; total?: number } = {};
      for (let i = 0; i < 100 && body.stage !== 'done'; i++) {
        const p = await other.app.inject({ method: 'GET', url: `/api/uploads/progress/${key}` });
        if (p.statusCode === 200) body = p.json();
        if (body.stage !== 'done') await new Promise((r) => setTimeout(r, 20));
      }
      expect(body).toEqual({ stage: 'done', done: 1, total: 1 });
    } finally {
      await other.app.close();
    }
  });

  it('given a batch interrupted inside its transaction, leaves no rows and no batch; the re-send stores it once', async () => {
    const who = screener();
    const v = villages[2] as Village;
    const csv = `${HEADER}\n${v.code},,,2023-05-17,${who},,,是,,,\n${v.code},,,2023-05-18,${who},,,否,其他,蓝,\n`;
    const key = randomUUID();
    // The real database behind a connection that dies right after the screenings were inserted.
    const dying: Db = Object.create(ctx.db, {
      transaction: {
        value: <T>(fn: (tx: Transaction) => Promise<T>) =>
          ctx.db.transaction((tx) =>
            fn({
              async query(text, values) {
                const r = await tx.query(text, values);
                if (text.includes('INSERT INTO screenings')) throw new Error('connection lost');
                return r as never;
              },
              loadTemp: (table, columns, rows) => tx.loadTemp(table, columns, rows),
              savepoint: (name, body) => tx.savepoint(name, body),
              async copyRows(table, columns, rows) {
                await tx.copyRows(table, columns, rows);
                if (table === 'screenings') throw new Error('connection lost');
              },
            }),
          ),
      },
    });
    // Its own app on the wrapped database, signed in as the administrator like ctx.app (closing the app only:
    // the database is ctx's).
    const { app } = await openAppOn(dying);
    const failed = await upload(app, 'cut.csv', csv, '', { 'idempotency-key': key });
    await app.close();
    expect(failed.status).toBe(500);
    expect(await stored(who)).toEqual([]);
    const batches = await ctx.db.query('SELECT id FROM upload_batches WHERE idempotency_key = $1', [key]);
    expect(batches.rows).toEqual([]);
    const resent = await upload(ctx.app, 'cut.csv', csv, '', { 'idempotency-key': key });
    expect(resent.body).toMatchObject({ rowsAccepted: 2 });
    expect((await stored(who)).length).toBe(2);
  });

  it('answers a map request while a large GeoJSON upload is still being parsed', async () => {
    const v = villages[0] as Village;
    // 60,000 point features without a date: the whole document is parsed (off the event loop), then every row is
    // rejected by validation, so nothing is stored.
    const feature = JSON.stringify({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [v.lon, v.lat] },
      properties: { 村代码: v.code, 零报告: '是', 情况说明: '大文件解析时地图仍可用' },
    });
    const doc = `{"type":"FeatureCollection","features":[${Array(60_000).fill(feature).join(',')}]}`;
    const key = randomUUID();
    const order: string[] = [];
    const uploading = upload(ctx.app, 'big.geojson', doc, '', { 'idempotency-key': key }).then((r) => {
      order.push('upload done');
      return r;
    });
    const stage = async () => {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/uploads/progress/${key}` });
      if (res.statusCode !== 200) return null;
      const p = res.json() as { stage: string; done: number };
      return `${p.stage} ${p.done}`;
    };
    // Wait for the parse proper (after hashing and decoding): step 1 of the parsing stage.
    let seen = await stage();
    for (let i = 0; i < 4000 && (seen === null || seen === 'parsing 0'); i++) {
      await new Promise((r) => setTimeout(r, 2));
      seen = await stage();
    }
    expect(seen).toBe('parsing 1');
    const summary = await ctx.app.inject({ method: 'GET', url: '/api/summary' });
    order.push('summary done');
    expect(summary.statusCode).toBe(200);
    // Answered before the parse ended: the upload has not moved on to validation yet.
    expect(await stage()).toBe('parsing 1');
    const res = await uploading;
    expect(order).toEqual(['summary done', 'upload done']);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rowsTotal: 60_000, rowsAccepted: 0, rowsRejected: 60_000 });
    expect(res.body.report?.[0]).toMatchObject({ row: 1, field: 'screened_on', code: 'required' });
  });

  it('given an XLSX with formulas, Excel serial dates and Chinese headers, stores the values', async () => {
    const who = screener();
    const v = villages[3] as Village;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('排查');
    ws.addRow(HEADER.split(','));
    ws.addRow([
      v.code,
      '',
      '',
      45063,
      who,
      { formula: `${v.lon}+0`, result: v.lon },
      v.lat,
      '否',
      '合同债务',
      '橙',
      { formula: '"欠款"&"未还"', result: '欠款未还' },
    ]);
    ws.addRow([v.code, '', '', new Date(Date.UTC(2023, 4, 18)), who, '', '', '是', '', '', '']);
    const res = await upload(ctx.app, '排查.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.body).toMatchObject({ format: 'xlsx', rowsAccepted: 2, rowsRejected: 0 });
    const rows = await stored(who);
    expect(rows.map((r) => [r.village_code, r.note, r.location_mismatch])).toEqual([
      [v.code, '欠款未还', false],
      [v.code, null, false],
    ]);
    const dates = await ctx.db.query<{ d: string }>(
      `SELECT screened_on::text AS d FROM screenings WHERE screener = $1 ORDER BY id`,
      [who],
    );
    expect(dates.rows.map((r) => r.d)).toEqual(['2023-05-17', '2023-05-18']);
  });

  it('given GeoJSON areas, repairs the winding and reports an invalid polygon with the database reason', async () => {
    const who = screener();
    const v = villages[0] as Village;
    const d = 0.001;
    const clockwise = [
      [v.lon - d, v.lat - d],
      [v.lon - d, v.lat + d],
      [v.lon + d, v.lat + d],
      [v.lon + d, v.lat - d],
      [v.lon - d, v.lat - d],
    ];
    const bowtie = [
      [v.lon - d, v.lat - d],
      [v.lon + d, v.lat + d],
      [v.lon + d, v.lat - d],
      [v.lon - d, v.lat + d],
      [v.lon - d, v.lat - d],
    ];
    const props = { 排查日期: '2023-05-17', 排查人: who, 零报告: '是' };
    const doc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [clockwise] }, properties: props },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [bowtie] }, properties: props },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [v.lon, Number.NaN] }, properties: props },
      ],
    };
    const res = await upload(ctx.app, 'areas.geojson', JSON.stringify(doc).replace('null', '"x"'));
    expect(res.body).toMatchObject({ format: 'geojson', rowsAccepted: 1, rowsRejected: 2 });
    expect(res.body.report?.map((r) => [r.row, r.field, r.severity])).toEqual([
      [1, 'geometry', 'warning'],
      [2, 'geometry', 'error'],
      [3, 'geometry.coordinates', 'error'],
    ]);
    expect(res.body.report?.[1]?.reason).toMatch(/Self-intersection/);
    const area = await ctx.db.query<{ ccw: boolean; code: string }>(
      `SELECT ST_IsPolygonCCW(area) AS ccw, village_code AS code FROM screenings WHERE screener = $1`,
      [who],
    );
    expect(area.rows).toEqual([{ ccw: true, code: v.code }]);
  });

  it('refuses undecodable bytes, unknown formats and files over the limit with what and where', async () => {
    const broken = Buffer.concat([iconv.encode(`${HEADER}\n`, 'gbk'), Buffer.from([0x81, 0x20, 0x0a])]);
    const bad = await upload(ctx.app, 'broken.csv', broken);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/line 2/);
    expect((await upload(ctx.app, 'x.pdf', 'hello')).status).toBe(415);
    const saved = UPLOAD_LIMITS.fileBytes;
    UPLOAD_LIMITS.fileBytes = 1024 * 1024;
    try {
      const big = await upload(ctx.app, 'big.csv', Buffer.alloc(UPLOAD_LIMITS.fileBytes + 10, 0x41));
      expect(big.status).toBe(413);
      expect(big.body.message).toMatch(/1 MB limit per file/);
    } finally {
      UPLOAD_LIMITS.fileBytes = saved;
    }
    const savedRequest = UPLOAD_LIMITS.requestBytes;
    UPLOAD_LIMITS.requestBytes = 2 * 1024 * 1024;
    try {
      const big = await upload(ctx.app, 'big.csv', Buffer.alloc(UPLOAD_LIMITS.requestBytes + 10, 0x41));
      expect(big.status).toBe(413);
      expect(big.body.message).toMatch(/2 MB limit per request/);
    } finally {
      UPLOAD_LIMITS.requestBytes = savedRequest;
    }
  });

  it('serves templates that upload back cleanly', async () => {
    for (const name of ['screenings.csv', 'screenings.xlsx', 'screenings.geojson']) {
      const t = await ctx.app.inject({ method: 'GET', url: `/api/uploads/templates/${name}` });
      expect(t.statusCode).toBe(200);
      const res = await upload(ctx.app, name, t.rawPayload);
      expect(res.body).toMatchObject({ rowsTotal: 2, rowsRejected: 0 });
    }
  });

  it('lists recent batches with who uploaded when', async () => {
    const list = await ctx.app.inject({ method: 'GET', url: '/api/uploads?limit=5' });
    expect(list.statusCode).toBe(200);
    const body = list.json() as { uploadedBy: string; uploadedAt: string; rowsAccepted: number }[];
    expect(body.length).toBeGreaterThan(0);
    expect(body.every((b) => b.uploadedBy && !Number.isNaN(Date.parse(b.uploadedAt)))).toBe(true);
  });
});
