import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../server/bootstrap.js';
import type { Db } from '../../server/db/types.js';
import {
  EMBEDDED_COMMIT_ROWS,
  findBatchByKey,
  ingest,
  type UploadRequest,
} from '../../server/services/ingest/index.js';
import { backends, openWritableApp, type TestContext } from './harness.js';
import { type Village, villagesQuery } from './uploads-helpers.js';

/**
 * A large upload on the embedded database is committed in chunks of EMBEDDED_COMMIT_ROWS, so that other requests
 * get its one connection in between (issue 21); until the last chunk the batch is 'storing' and none of its rows
 * is seen by any reader. A failure half-way, or a process stopped half-way, leaves nothing; a retry stores it all.
 */
const ROWS = EMBEDDED_COMMIT_ROWS * 2 + 500; // three commits on the embedded database

function request(
  villages: Village[],
  who: string,
  key: string,
  onProgress?: UploadRequest['onProgress'],
): UploadRequest {
  const lines = Array.from({ length: ROWS }, (_, i) => {
    const v = villages[i % villages.length] as Village;
    return `${v.code},2023-06-${String(1 + (i % 28)).padStart(2, '0')},${who},否,邻里纠纷,黄,第${i}行`;
  });
  return {
    bytes: Buffer.from(`村代码,排查日期,排查人,零报告,隐患类别,风险等级,情况说明\n${lines.join('\n')}\n`),
    format: 'csv',
    fileName: 'large.csv',
    crs: 'wgs84',
    allOrNothing: false,
    uploadedBy: who,
    idempotencyKey: key,
    roundId: null,
    maxRows: 100_000,
    ...(onProgress ? { onProgress } : {}),
  };
}

async function count(db: Db, table: 'screenings' | 'visible_screenings', who: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE screener = $1`, [who]);
  return Number(rows[0]?.n);
}

describe.each(backends.filter((b) => b === 'embedded'))('an upload in several commits on %s', (backend) => {
  let ctx: TestContext;
  let villages: Village[];

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    villages = (await ctx.db.query<Village>(villagesQuery(20))).rows;
  });
  afterAll(async () => ctx?.close());

  it('keeps the rows committed so far out of every reader, and answers queued reads between two commits', async () => {
    const who = `分批-${randomUUID().slice(0, 8)}`;
    let stored = 0;
    type Seen = { base: number; visible: number; listed: boolean; storedThen: number };
    let probe: Promise<Seen> | null = null;
    const onProgress: UploadRequest['onProgress'] = (stage, done) => {
      if (stage !== 'storing') return;
      stored = done;
      // After the first commit: reads queued now run before the second commit, and see none of the rows.
      if (done === EMBEDDED_COMMIT_ROWS && !probe) {
        let storedThen = -1;
        const base = count(ctx.db, 'screenings', who);
        const visible = count(ctx.db, 'visible_screenings', who).then((n) => {
          storedThen = stored;
          return n;
        });
        // A request is several statements (session, scope, list): the next commits may run between them.
        const list = ctx.app.inject({ method: 'GET', url: '/api/uploads?limit=200' });
        probe = Promise.all([base, visible, list]).then(([b, v, l]) => ({
          base: b,
          visible: v,
          listed: (l.json() as { uploadedBy: string }[]).some((x) => x.uploadedBy === who),
          storedThen,
        }));
      }
    };
    const { batch } = await ingest(ctx.db, request(villages, who, randomUUID(), onProgress));
    expect(probe).not.toBeNull();
    const seen = await (probe as unknown as Promise<Seen>);
    expect(seen).toEqual({ base: EMBEDDED_COMMIT_ROWS, visible: 0, listed: false, storedThen: EMBEDDED_COMMIT_ROWS });
    expect(batch).toMatchObject({ status: 'stored', rows_accepted: ROWS });
    expect(await count(ctx.db, 'visible_screenings', who)).toBe(ROWS);
    const shown = await ctx.app.inject({ method: 'GET', url: `/api/uploads/${batch.id}` });
    expect(shown.json()).toMatchObject({ rowsAccepted: ROWS, uploadedBy: who });
  });

  it('given a batch left storing by a stopped process, hides it and removes it with its rows at the next start', async () => {
    const who = `分批-${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    const { batch } = await ingest(ctx.db, request(villages, who, key));
    // What a process stopped between two commits leaves: the batch still 'storing', some of its rows committed.
    await ctx.db.query(`UPDATE upload_batches SET status = 'storing' WHERE id = $1`, [batch.id]);
    expect(await count(ctx.db, 'visible_screenings', who)).toBe(0);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/uploads/${batch.id}` })).statusCode).toBe(404);

    const logged: string[] = [];
    await prepareDatabase(ctx.db, 'never', (line) => logged.push(line));
    expect(logged).toContain('removed 1 upload(s) interrupted while being stored');
    expect(await count(ctx.db, 'screenings', who)).toBe(0);
    expect(await findBatchByKey(ctx.db, key)).toBeNull();
    // The uploader's retry with the same key stores the file anew.
    const retried = await ingest(ctx.db, request(villages, who, key));
    expect(retried).toMatchObject({ replayed: false, batch: { rows_accepted: ROWS } });
    expect(await count(ctx.db, 'visible_screenings', who)).toBe(ROWS);
  });
});

describe.each(backends)('an interrupted large upload on %s', (backend) => {
  let ctx: TestContext;
  let villages: Village[];
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    villages = (await ctx.db.query<Village>(villagesQuery(20))).rows;
  });
  afterAll(async () => ctx?.close());

  it('given a failure at its last progress report, leaves no row and no batch; a retry with the key stores every row', async () => {
    const who = `分批-${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    // After every row but the batch's finish: on the embedded database three commits have been made by then, on
    // the server one transaction holds them all.
    const failing = request(villages, who, key, (stage, done) => {
      if (stage === 'storing' && done === ROWS) throw new Error('the uploader went away');
    });
    await expect(ingest(ctx.db, failing)).rejects.toThrow('the uploader went away');
    expect(await count(ctx.db, 'screenings', who)).toBe(0);
    expect(await findBatchByKey(ctx.db, key)).toBeNull();

    const retried = await ingest(ctx.db, request(villages, who, key));
    expect(retried.replayed).toBe(false);
    expect(retried.batch).toMatchObject({ status: 'stored', rows_accepted: ROWS });
    expect(await count(ctx.db, 'visible_screenings', who)).toBe(ROWS);
    // And once more with the same key: the first result, nothing stored twice.
    const again = await ingest(ctx.db, request(villages, who, key));
    expect(again).toMatchObject({ replayed: true, batch: { id: retried.batch.id } });
    expect(await count(ctx.db, 'screenings', who)).toBe(ROWS);
  });
});
