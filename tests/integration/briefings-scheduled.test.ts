import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { runDueJobs } from '../../server/services/scheduler/index.js';
import { jobs } from '../../server/services/scheduler/jobs.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

// Scheduled briefings (issue 17): the demo county has a weekly and a monthly schedule; the scheduler's jobs make
// the briefing of the period just ended once (from 08:00 China time), store PDF and XLSX, and a second run — or a
// second tick — stores nothing more. The stored PDF is read back with pdftotext. Writes: a database of its own.

const dir = mkdtempSync(join(tmpdir(), 'briefing-scheduled-'));
const config = loadConfig({ DATA_DIR: '.data/test', LOG_LEVEL: 'silent' });
const briefingJobs = jobs.filter((j) => j.name.startsWith('briefings.'));

interface Listed {
  id: number;
  scopeCode: string;
  period: string;
  from: string;
  to: string;
  found: number;
  resolved: number;
}

describe.each(backends)('scheduled briefings (%s)', (backend) => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = async () => (await ctx.app.inject({ url: '/api/briefings' })).json().briefings as Listed[];

  it('makes nothing before 08:00 on the first day of the period (Monday 1 May 2023 starts a week and a month)', async () => {
    const out = await runDueJobs(ctx.db, { jobs: briefingJobs, config, now: new Date('2023-05-01T07:30:00+08:00') });
    expect(out.map((o) => o.outcome)).toEqual(['not-due', 'not-due']);
    expect(await list()).toEqual([]);
  });

  it('makes the last week’s and last month’s briefings once, and stores them for download', async () => {
    const now = new Date('2023-05-01T09:00:00+08:00');
    const out = await runDueJobs(ctx.db, { jobs: briefingJobs, config, now });
    expect(out.map((o) => [o.job, o.period, o.outcome])).toEqual([
      ['briefings.weekly', '2023-W18', 'done'],
      ['briefings.monthly', '2023-05', 'done'],
    ]);
    const stored = await list();
    expect(stored.map((b) => [b.period, b.from, b.to]).sort()).toEqual([
      ['2023-04', '2023-04-01', '2023-04-30'],
      ['2023-W17', '2023-04-24', '2023-04-30'],
    ]);
    const again = await runDueJobs(ctx.db, { jobs: briefingJobs, config, now: new Date('2023-05-01T10:00:00+08:00') });
    expect(again.map((o) => o.outcome)).toEqual(['taken', 'taken']);
    expect((await list()).length).toBe(2);

    const april = stored.find((b) => b.period === '2023-04') as Listed;
    const { rows } = await ctx.db.query<{ found: number; resolved: number }>(
      `SELECT count(*)::int AS found, count(*) FILTER (WHERE status = 'resolved')::int AS resolved FROM disputes
       WHERE reported_at >= '2023-04-01T00:00:00+08:00' AND reported_at < '2023-05-01T00:00:00+08:00'`,
    );
    expect([april.found, april.resolved]).toEqual([rows[0]?.found, rows[0]?.resolved]);
    const pdf = await ctx.app.inject({ url: `/api/briefings/stored/${april.id}.pdf` });
    expect(pdf.statusCode).toBe(200);
    const file = join(dir, 'april.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
    expect(text).toContain(`共排查发现矛盾纠纷${rows[0]?.found}件，已化解${rows[0]?.resolved}件`);
    const xlsx = await ctx.app.inject({ url: `/api/briefings/stored/${april.id}.xlsx` });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await ctx.app.inject({ url: '/api/briefings/stored/999999.pdf' })).statusCode).toBe(404);
  });

  it('sets a town’s schedule idempotently and refuses a unit that is not a county or town', async () => {
    const put = (payload: Record<string, unknown>) =>
      ctx.app.inject({ method: 'PUT', url: '/api/briefing-schedules', payload });
    const town = { scope: '430723108', frequency: 'monthly', enabled: true };
    expect((await put(town)).statusCode).toBe(200);
    expect((await put(town)).statusCode).toBe(200);
    const schedules = (await ctx.app.inject({ url: '/api/briefing-schedules' })).json().schedules as unknown[];
    expect(schedules.filter((s) => (s as { scopeCode: string }).scopeCode === '430723108')).toHaveLength(1);
    const bad = await put({ ...town, scope: '999999999' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('scope');
    expect((await put({ ...town, frequency: 'daily' })).json().field).toBe('frequency');
  });
});
