import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, demoUsers, openWritableApp, type TestContext } from './harness.js';

/**
 * The case dossier, judicial confirmation and generated documents (issue 18) on both backends. Documents are read
 * back the way a person would: the DOCX's word/document.xml with unzip, the PDF's text with pdftotext.
 */
describe.each(backends)('dossier and documents on %s', (backend) => {
  let ctx: TestContext;
  let officer: { cookie: string };
  let leader: { cookie: string };
  let town: string;
  const dir = mkdtempSync(join(tmpdir(), 'dossier-'));
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    officer = { cookie: await ctx.cookieFor(demoUsers.town_officer) };
    leader = { cookie: await ctx.cookieFor(demoUsers.leader) };
    town = (
      await ctx.db.query<{ town_code: string }>('SELECT town_code FROM accounts WHERE username = $1', [
        demoUsers.town_officer,
      ])
    ).rows[0]?.town_code as string;
  });
  afterAll(async () => ctx?.close());

  const call = (method: 'GET' | 'PUT', url: string, payload?: object, headers = officer) =>
    ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  /** A resolved case of the officer's town with parties, no agreement and no confirmation yet, a new one each time. */
  let taken = 0;
  async function resolvedCase() {
    const { rows } = await ctx.db.query<{ id: number; case_no: string }>(
      `SELECT d.id, d.case_no FROM disputes d WHERE d.town_code = $1 AND d.status = 'resolved'
         AND EXISTS (SELECT 1 FROM dispute_parties p WHERE p.dispute_id = d.id)
         AND NOT EXISTS (SELECT 1 FROM case_agreements a WHERE a.dispute_id = d.id)
         AND NOT EXISTS (SELECT 1 FROM judicial_confirmations j WHERE j.dispute_id = d.id)
       ORDER BY d.resolved_at DESC, d.id DESC LIMIT 1 OFFSET $2`,
      [town, taken++],
    );
    return { id: Number(rows[0]?.id), caseNo: rows[0]?.case_no as string };
  }

  it("lists the nine items in the ministry's order, and a mark changes one item and its completeness", async () => {
    const c = await resolvedCase();
    const before = (await call('GET', `/api/disputes/${c.id}/dossier`)).json();
    expect(before.items.map((i: { item: string }) => i.item)).toEqual([
      'application',
      'rights_notice',
      'identity_documents',
      'investigation',
      'mediation_record',
      'agreement',
      'performance_proof',
      'follow_up_record',
      'judicial_confirmation',
    ]);
    const r = await call('PUT', `/api/disputes/${c.id}/dossier`, { item: 'investigation', state: 'not_applicable' });
    expect(r.statusCode).toBe(200);
    const item = r.json().items.find((i: { item: string }) => i.item === 'investigation');
    expect(item).toMatchObject({ state: 'not_applicable', source: 'marked' });
    const back = await call('PUT', `/api/disputes/${c.id}/dossier`, { item: 'investigation', state: null });
    expect(back.json().items.find((i: { item: string }) => i.item === 'investigation').source).toBe('derived');
    const bad = await call('PUT', `/api/disputes/${c.id}/dossier`, { item: 'photos', state: 'present' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('item');
  });

  it("counts completeness per town for a town officer's town only", async () => {
    const mine = (await call('GET', '/api/dossier/completeness')).json();
    expect(mine.units.map((u: { key: string }) => u.key)).toEqual([town]);
    expect(mine.units[0].cases).toBeGreaterThan(0);
    expect(mine.units[0].rate).toBeGreaterThan(0);
    expect(mine.units[0].rate).toBeLessThan(1);
    const county = (await call('GET', `/api/dossier/completeness?town=${town}`, undefined, { cookie: '' })).statusCode;
    expect(county).toBe(401);
    const other = await call('GET', '/api/dossier/completeness?town=430723001');
    expect(other.statusCode).toBe(town === '430723001' ? 200 : 404);
    const byRoom = (await call('GET', '/api/dossier/completeness?by=station')).json();
    expect(byRoom.units.reduce((s: number, u: { cases: number }) => s + u.cases, 0)).toBe(mine.units[0].cases);
  });

  it('records judicial confirmation on a resolved case only, naming bad fields, and tracks the 30-day window', async () => {
    const open = (
      await ctx.db.query<{ id: number }>(
        `SELECT id FROM disputes WHERE town_code = $1 AND status = 'mediating' LIMIT 1`,
        [town],
      )
    ).rows[0];
    const body = { appliedOn: '2023-05-10', court: '澧县人民法院', result: 'pending' };
    expect((await call('PUT', `/api/disputes/${open?.id}/judicial-confirmation`, body)).statusCode).toBe(409);
    const c = await resolvedCase();
    for (const [payload, field] of [
      [{ ...body, appliedOn: '2023-05-18' }, 'appliedOn'],
      [{ ...body, decidedOn: '2023-05-12' }, 'decidedOn'],
      [{ ...body, result: 'confirmed' }, 'decidedOn'],
      [{ ...body, result: 'confirmed', decidedOn: '2023-05-01' }, 'decidedOn'],
      [{ ...body, result: 'maybe' }, 'result'],
      [{ ...body, court: '  ' }, 'court'],
    ] as const) {
      const r = await call('PUT', `/api/disputes/${c.id}/judicial-confirmation`, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().field).toBe(field);
    }
    const v = (await ctx.db.query<{ version: number }>('SELECT version FROM disputes WHERE id = $1', [c.id])).rows[0];
    await ctx.app.inject({
      method: 'POST',
      url: `/api/disputes/${c.id}/agreement`,
      payload: { version: v?.version, agreedOn: '2023-04-05', kind: 'written' },
    });
    const before = (await call('GET', `/api/disputes/${c.id}/dossier`)).json();
    expect(before.confirmationWindow).toMatchObject({ state: 'lapsed', deadline: '2023-05-05', flagged: true });
    const ok = await call('PUT', `/api/disputes/${c.id}/judicial-confirmation`, body);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().confirmation).toMatchObject({ appliedOn: '2023-05-10', result: 'pending', version: 1 });
    expect(ok.json().confirmationWindow).toMatchObject({ state: 'applied_late', flagged: true });
    expect(ok.json().items.find((i: { item: string }) => i.item === 'judicial_confirmation').state).toBe('present');
    const stale = await call('PUT', `/api/disputes/${c.id}/judicial-confirmation`, {
      ...body,
      result: 'confirmed',
      decidedOn: '2023-05-15',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().field).toBe('version');
    const decided = await call('PUT', `/api/disputes/${c.id}/judicial-confirmation`, {
      ...body,
      result: 'confirmed',
      decidedOn: '2023-05-15',
      version: 1,
    });
    expect(decided.json().confirmation).toMatchObject({ result: 'confirmed', decidedOn: '2023-05-15', version: 2 });
  });

  it('makes the agreement as DOCX with the case number and masked parties, and audits the download', async () => {
    const c = await resolvedCase();
    const r = await call('GET', `/api/disputes/${c.id}/document?kind=agreement&format=docx`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('wordprocessingml');
    const file = join(dir, `${c.id}.docx`);
    writeFileSync(file, r.rawPayload);
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8');
    const n = Number(c.caseNo.slice(8));
    expect(xml).toContain(`（${c.caseNo.slice(3, 7)}）澧人调字第${n}号`);
    expect(xml).toContain('人民调解协议书');
    const { rows } = await ctx.db.query<{ id: number }>(
      'SELECT id FROM dispute_parties WHERE dispute_id = $1 ORDER BY id',
      [c.id],
    );
    const masked = (await call('GET', `/api/disputes/${c.id}/case`)).json().parties as {
      name: string;
      phone: string;
    }[];
    for (const p of masked) expect(xml).toContain(`：${p.name}`);
    const clear = (
      await ctx.app.inject({
        method: 'POST',
        url: `/api/disputes/${c.id}/parties/${rows[0]?.id}/reveal`,
        headers: officer,
      })
    ).json();
    expect(xml).not.toContain(clear.name);
    expect(xml).not.toContain(clear.phone);
    const audits = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'document' AND target_id = $1`,
      [String(c.id)],
    );
    expect(audits.rows[0]?.n).toBe(1);
  });

  it('reveals one party in a document for a town officer (audited), refuses a leader, and makes a PDF', async () => {
    const c = await resolvedCase();
    const party = (
      await ctx.db.query<{ id: number }>('SELECT id FROM dispute_parties WHERE dispute_id = $1 ORDER BY id LIMIT 1', [
        c.id,
      ])
    ).rows[0]?.id;
    const count = async () =>
      (
        await ctx.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'reveal-personal-data' AND target_type = 'party'
             AND target_id = $1`,
          [String(party)],
        )
      ).rows[0]?.n ?? 0;
    const before = await count();
    const refused = await call('GET', `/api/disputes/${c.id}/document?revealParty=${party}`, undefined, leader);
    expect(refused.statusCode).toBe(403);
    expect(await count()).toBe(before);
    const r = await call('GET', `/api/disputes/${c.id}/document?format=docx&revealParty=${party}`);
    expect(r.statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
    const file = join(dir, `${c.id}-revealed.docx`);
    writeFileSync(file, r.rawPayload);
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8');
    const clear = (
      await ctx.app.inject({ method: 'POST', url: `/api/disputes/${c.id}/parties/${party}/reveal`, headers: officer })
    ).json();
    expect(xml).toContain(clear.name);
    const wrong = await call('GET', `/api/disputes/${c.id}/document?revealParty=999999999`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('revealParty');
    const pdf = await call('GET', `/api/disputes/${c.id}/document?kind=record&format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfFile = join(dir, `${c.id}.pdf`);
    writeFileSync(pdfFile, pdf.rawPayload);
    const text = execFileSync('pdftotext', [pdfFile, '-']).toString('utf8');
    expect(text).toContain('人民调解记录');
    expect(text).toContain(`澧人调字第${Number(c.caseNo.slice(8))}号`);
  });
});
