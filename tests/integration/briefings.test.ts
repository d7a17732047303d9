import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestApp, type TestContext } from './harness.js';

// The briefing PDF (issue 17) read back as text with poppler's pdftotext: the county's found and resolved
// counts of the period (counted here from the raw disputes) and the name of the top-ranked joint mediation room
// (from the assessment endpoint) are in it, in Chinese, with the demo label.

const dir = mkdtempSync(join(tmpdir(), 'briefing-test-'));
const pdfText = (pdf: Buffer, name: string) => {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  // pdftotext sets table cells on their own lines; joining lines lets a sentence be searched whole.
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
};

describe.each(backends)('briefings (%s)', (backend) => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the month's found and resolved counts and the top-ranked room, in Chinese, labelled as demo data", async () => {
    const res = await ctx.app.inject({ url: '/api/briefings/2023-04.pdf' });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(res.rawPayload, 'month');
    const { rows } = await ctx.db.query<{ found: number; resolved: number }>(
      `SELECT count(*)::int AS found, count(*) FILTER (WHERE status = 'resolved')::int AS resolved FROM disputes
       WHERE reported_at >= '2023-04-01T00:00:00+08:00' AND reported_at < '2023-05-01T00:00:00+08:00'`,
    );
    const { found, resolved } = rows[0] as { found: number; resolved: number };
    expect(found).toBeGreaterThan(0);
    expect(text).toContain(`共排查发现矛盾纠纷${found}件，已化解${resolved}件`);
    const rooms = (await ctx.app.inject({ url: '/api/assessment?period=2023-04&by=room' })).json();
    const top = rooms.units.find((u: { rank: number | null }) => u.rank === 1);
    expect(top).toBeTruthy();
    expect(text).toContain(`考核排名第一的是${top.name}`);
    expect(text).toContain('演示数据');
    expect(text).toContain('澧县矛盾纠纷排查化解专报');
    expect(text).toContain('2023年4月1日');
  });

  it("lists the month's new warnings and the overdue tasks, with counts recomputed from the raw tables, in the PDF and the XLSX", async () => {
    const res = await ctx.app.inject({ url: '/api/briefings/2023-05.pdf' });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const text = pdfText(res.rawPayload, 'may');
    const joined = text.replace(/\n/g, '');
    const from = '2023-05-01T00:00:00+08:00';
    const to = '2023-06-01T00:00:00+08:00';
    const w = (
      await ctx.db.query<{ raised: number; latest: string | null }>(
        `SELECT count(*)::int AS raised,
                to_char(max(raised_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS latest
         FROM warnings WHERE raised_at >= $1 AND raised_at < $2`,
        [from, to],
      )
    ).rows[0] as { raised: number; latest: string | null };
    const t = (
      await ctx.db.query<{ issued: number; closed: number; overdue: number; due: string | null }>(
        `SELECT count(*) FILTER (WHERE created_at >= $1 AND created_at < $2)::int AS issued,
                count(*) FILTER (WHERE status = 'closed' AND closed_at >= $1 AND closed_at < $2)::int AS closed,
                count(*) FILTER (WHERE status IN ('assigned', 'accepted', 'sent_back')
                  AND due_on < (app_now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue,
                to_char(min(due_on) FILTER (WHERE status IN ('assigned', 'accepted', 'sent_back')
                  AND due_on < (app_now() AT TIME ZONE 'Asia/Shanghai')::date), 'YYYY-MM-DD') AS due
         FROM tasks`,
        [from, to],
      )
    ).rows[0] as { issued: number; closed: number; overdue: number; due: string | null };
    // The demo has both (otherwise this test would prove nothing).
    expect(w.raised).toBeGreaterThan(0);
    expect(t.issued + t.overdue).toBeGreaterThan(0);
    expect(joined).toContain(`本期新增预警（共${w.raised}条`);
    expect(text).toContain(w.latest as string);
    expect(joined).toContain(`本期交办任务${t.issued}项、办结${t.closed}项；目前超期未办${t.overdue}项`);
    expect(joined).toContain(`超期未办任务（共${t.overdue}项`);
    if (t.due) expect(text).toContain(t.due);
    expect(joined).toContain('交办督办任务：本期交办按交办日期');

    const xlsx = await ctx.app.inject({ url: '/api/briefings/2023-05.xlsx' });
    expect(xlsx.statusCode, xlsx.body.slice(0, 300)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const taskSheet = wb.getWorksheet('交办督办');
    expect(taskSheet?.getRow(3).values).toEqual([undefined, t.issued, t.closed, expect.any(Number), t.overdue]);
    // Title, header, one row per listed overdue task, the total.
    expect(wb.getWorksheet('超期未办任务')?.rowCount).toBe(2 + Math.min(t.overdue, 15) + 1);
    expect(wb.getWorksheet('本期新增预警')?.rowCount).toBe(2 + Math.min(w.raised, 15) + 1);
    expect(wb.getWorksheet('指标口径')?.rowCount).toBeGreaterThan(5);
  });

  it('makes the English briefing of a week, and the same tables as XLSX', async () => {
    const res = await ctx.app.inject({ url: '/api/briefings/2023-W19.pdf?lang=en' });
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload, 'week-en');
    const { rows } = await ctx.db.query<{ found: number }>(
      `SELECT count(*)::int AS found FROM disputes
       WHERE reported_at >= '2023-05-08T00:00:00+08:00' AND reported_at < '2023-05-15T00:00:00+08:00'`,
    );
    expect(text.replace(/\s+/g, ' ')).toContain(`found ${rows[0]?.found} disputes this period`);
    expect(text).toContain('DEMO');
    const xlsx = await ctx.app.inject({ url: '/api/briefings/2023-Q1.xlsx' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses unknown periods and ranges running backwards with a 400 naming the period', async () => {
    for (const p of ['2023-13', '2023-W60', 'last-month', '2023-05-10..2023-05-01']) {
      const res = await ctx.app.inject({ url: `/api/briefings/${p}.pdf` });
      expect(res.statusCode, p).toBe(400);
      expect(res.json().field).toBe('period');
    }
    const town = await ctx.app.inject({ url: '/api/briefings/2023-04.pdf?scope=999999999' });
    expect(town.statusCode).toBe(404);
  });
});
