import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Db } from '../../server/db/index.js';
import { openPostgres } from '../../server/db/postgres.js';
import { REPEAT_IDS } from '../../server/db/queries/cases.js';
import { openCasesForEscalation } from '../../server/db/queries/warnings.js';
import { evaluateAll } from '../../server/services/warnings/index.js';
import { backends, demoUsers, openWritableApp, type TestContext } from './harness.js';

/**
 * Early warnings (issue 16) on both backends: every rule fires at its threshold and not below, a re-run raises
 * nothing twice, two evaluations at once raise one warning, thresholds are validated naming the field, and
 * nobody sees or acts on a warning outside their scope.
 */
// A full evaluation takes seconds on the embedded database, and several per test on a loaded machine.
vi.setConfig({ testTimeout: 300_000 });

describe.each(backends)('early warnings on %s', (backend) => {
  let ctx: TestContext;
  let town: string;
  let otherTown: string;
  let villages: string[];
  let otherVillage: string;

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    town = '430723108'; // 王家厂镇, the demo town officer's town
    const v = await ctx.db.query<{ code: string }>(
      `SELECT code FROM admin_units WHERE level = 'village' AND parent_code = $1 ORDER BY code`,
      [town],
    );
    villages = v.rows.map((r) => r.code);
    const o = await ctx.db.query<{ code: string; parent_code: string }>(
      `SELECT code, parent_code FROM admin_units WHERE level = 'village' AND parent_code <> $1 ORDER BY code LIMIT 1`,
      [town],
    );
    otherVillage = o.rows[0]?.code as string;
    otherTown = o.rows[0]?.parent_code as string;
  }, 120_000);
  afterAll(async () => ctx?.close());

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, cookie?: string) =>
    ctx.app.inject({ method, url, ...(payload ? { payload } : {}), ...(cookie ? { headers: { cookie } } : {}) });

  async function setThresholds(code: string, thresholds: Record<string, number>) {
    const rules = (await api('GET', '/api/warnings/rules')).json().rules as { code: string; version: number }[];
    const rule = rules.find((r) => r.code === code) as { version: number };
    const res = await api('PUT', `/api/warnings/rules/${code}`, { version: rule.version, thresholds });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  const evaluate = async () => {
    const res = await api('POST', '/api/warnings/evaluate');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { raised: number; fired: Record<string, number> };
  };

  const warningsOf = async (rule: string, subjectKey: string) =>
    (
      await ctx.db.query<{ id: number; period: string; level: string; evidence: Record<string, unknown> }>(
        `SELECT id::int, period, level, evidence FROM warnings WHERE rule_code = $1 AND subject_key = $2 ORDER BY id`,
        [rule, subjectKey],
      )
    ).rows;

  async function newCase(body: Record<string, unknown>) {
    const res = await api('POST', '/api/disputes', { category: 'neighbour', riskLevel: 'blue', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; version: number; stationId: number | null; escalation: { score: number } };
  }

  it('raises a plausible, deterministic set on the demo county (evaluated when the demo is loaded)', async () => {
    const { rows } = await ctx.db.query<{ rule_code: string; n: number }>(
      'SELECT rule_code, count(*)::int AS n FROM warnings GROUP BY 1 ORDER BY 1',
    );
    expect(Object.fromEntries(rows.map((r) => [r.rule_code, r.n]))).toEqual({
      acceptance_overdue: 1,
      emerging_hotspot: 9,
      escalation: 41,
      mediator_register: 126,
      room_overload: 7,
      screening_overdue: 35,
    });
  });

  it('(1) acceptance_overdue: a red case not accepted fires at redHours, not an hour before, once', async () => {
    const c = await newCase({ villageCode: villages[0], riskLevel: 'red', category: 'contract_debt' });
    await ctx.db.query(`UPDATE disputes SET reported_at = app_now() - interval '30 hours' WHERE id = $1`, [c.id]);
    await setThresholds('acceptance_overdue', { redHours: 31 });
    await evaluate();
    expect(await warningsOf('acceptance_overdue', `dispute:${c.id}`)).toEqual([]);
    await setThresholds('acceptance_overdue', { redHours: 30 });
    await evaluate();
    await evaluate();
    const w = await warningsOf('acceptance_overdue', `dispute:${c.id}`);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ level: 'county', evidence: { hoursWaiting: 30, limitHours: 30 } });
    await setThresholds('acceptance_overdue', { redHours: 24 });
  });

  it('(2) repeat_party: the same party in minCases cases in the window fires, one fewer does not', async () => {
    const party = { role: 'applicant', name: '测试当事人', phone: '13900001111', idNumber: '430723199001011234' };
    // Set first: each case write evaluates the rule itself.
    await setThresholds('repeat_party', { minCases: 4 });
    const ids: number[] = [];
    for (const v of villages.slice(0, 3)) ids.push((await newCase({ villageCode: v, parties: [party] })).id);
    await evaluate();
    const mine = async () =>
      (
        await ctx.db.query<{ n: number; evidence: { cases: { id: number }[]; matchedOn: string } }>(
          `SELECT evidence FROM warnings WHERE rule_code = 'repeat_party' AND dispute_id = ANY($1::bigint[])`,
          [ids],
        )
      ).rows;
    expect(await mine()).toEqual([]);
    await setThresholds('repeat_party', { minCases: 3 });
    await evaluate();
    await evaluate();
    const w = await mine();
    // Matched on both the ID number and the phone: one warning, not two.
    expect(w).toHaveLength(1);
    expect(w[0]?.evidence.cases.map((c) => c.id)).toEqual(ids);
    expect(w[0]?.evidence.matchedOn).toBe('id');
  });

  it('(3) escalation: a score at minScore fires, one point above does not; a rise of minRise in a week fires', async () => {
    await setThresholds('escalation', { minScore: 100, minRise: 100 });
    const c = await newCase({
      villageCode: villages[1],
      riskLevel: 'orange',
      category: 'marriage_family',
      threat: true,
      injury: true,
    });
    const score = c.escalation.score;
    expect(score).toBeGreaterThanOrEqual(50);
    await setThresholds('escalation', { minScore: score + 1 });
    await evaluate();
    expect(await warningsOf('escalation', `dispute:${c.id}`)).toEqual([]);
    await setThresholds('escalation', { minScore: score });
    await evaluate();
    expect((await warningsOf('escalation', `dispute:${c.id}`)).map((w) => w.period)).toEqual(['high']);
    // Three days ago the case scored `score - 12`: a rise of 12.
    await ctx.db.query(
      `INSERT INTO warning_escalation_scores (dispute_id, on_day, score)
       VALUES ($1, (app_now() AT TIME ZONE 'Asia/Shanghai')::date - 3, $2)`,
      [c.id, score - 12],
    );
    await setThresholds('escalation', { minRise: 13 });
    await evaluate();
    expect(await warningsOf('escalation', `dispute:${c.id}`)).toHaveLength(1);
    await setThresholds('escalation', { minRise: 12 });
    await evaluate();
    await evaluate();
    const w = await warningsOf('escalation', `dispute:${c.id}`);
    expect(w.map((x) => x.period)).toEqual(['high', '2023-W20']);
    expect(w[1]?.evidence).toMatchObject({ trigger: 'rising', rise: 12, from: score - 12, score });
    await setThresholds('escalation', { minScore: 50, minRise: 10 });
  });

  it('(4) emerging_hotspot: exactly the new and intensifying cells of the analysis, once per cell and month', async () => {
    await setThresholds('emerging_hotspot', { cellSize: 1650, recentMonths: 6 });
    await evaluate();
    await evaluate();
    const analysis = (await api('GET', '/api/analytics/emerging?cellSize=1650&recentMonths=6')).json() as {
      features: { properties: { q: number; r: number; pattern: string } }[];
    };
    const expected = analysis.features
      .filter((f) => f.properties.pattern === 'new' || f.properties.pattern === 'intensifying')
      .map((f) => `cell:1650:${f.properties.q},${f.properties.r}`)
      .sort();
    const persistent = analysis.features
      .filter((f) => f.properties.pattern === 'persistent' || f.properties.pattern === 'diminishing')
      .map((f) => `cell:1650:${f.properties.q},${f.properties.r}`);
    const { rows } = await ctx.db.query<{ subject_key: string; period: string }>(
      `SELECT subject_key, period FROM warnings WHERE rule_code = 'emerging_hotspot' AND subject_key LIKE 'cell:1650:%'
       ORDER BY subject_key`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.subject_key).sort()).toEqual(expected);
    expect(new Set(rows.map((r) => r.period))).toEqual(new Set(['2023-05']));
    expect(rows.some((r) => persistent.includes(r.subject_key))).toBe(false);
    await setThresholds('emerging_hotspot', { cellSize: 1000, recentMonths: 12 });
  });

  it('(5) screening_overdue: villages of the current round past due by more than graceDays, not the reporters', async () => {
    const created = await api('POST', '/api/screening-rounds', {
      name: '预警测试轮次',
      kind: 'special',
      startsOn: '2023-05-10',
      dueOn: '2023-05-14',
      towns: [town],
    });
    expect(created.statusCode, created.body).toBe(201);
    const round = created.json().id as number;
    const states = (await api('GET', `/api/screening-rounds/${round}/villages?asOf=2023-05-17`)).json() as {
      features: { properties: { code: string; state: string } }[];
    };
    const overdue = states.features
      .filter((f) => f.properties.state === 'overdue')
      .map((f) => `village:${f.properties.code}`);
    const reported = states.features.filter((f) => f.properties.state !== 'overdue');
    expect(overdue.length).toBeGreaterThan(0);
    expect(reported.length).toBeGreaterThan(0);
    const mine = async () =>
      (
        await ctx.db.query<{ subject_key: string; evidence: { daysOverdue: number } }>(
          `SELECT subject_key, evidence FROM warnings WHERE rule_code = 'screening_overdue' AND period = $1
           ORDER BY subject_key`,
          [`round:${round}`],
        )
      ).rows;
    // Due 14 May, judged on 17 May: three days overdue.
    await setThresholds('screening_overdue', { graceDays: 3 });
    await evaluate();
    expect(await mine()).toEqual([]);
    await setThresholds('screening_overdue', { graceDays: 2 });
    await evaluate();
    await evaluate();
    const w = await mine();
    expect(w.map((x) => x.subject_key)).toEqual(overdue.sort());
    expect(w[0]?.evidence.daysOverdue).toBe(3);
    await setThresholds('screening_overdue', { graceDays: 0 });
  });

  it('(6) room_overload: open cases per mediator above the limit fire, at the limit they do not', async () => {
    const { rows } = await ctx.db.query<{ id: number; open: number }>(
      `SELECT s.id, count(d.id)::int AS open FROM stations s
       JOIN disputes d ON d.station_id = s.id AND d.status IN ('reported', 'accepted', 'mediating')
       WHERE s.kind = 'joint_mediation_room' AND s.town_code = $1 GROUP BY s.id`,
      [town],
    );
    const room = rows[0] as { id: number; open: number };
    // The register's active mediators of the room count, not the station's staff number: two of them, the rest
    // set inactive (a staff number that disagrees must not matter).
    await ctx.db.query('UPDATE stations SET staff_count = 50 WHERE id = $1', [room.id]);
    const { rows: serving } = await ctx.db.query<{ id: number }>(
      'SELECT id::int FROM mediators WHERE station_id = $1 AND active ORDER BY id',
      [room.id],
    );
    expect(serving.length).toBeGreaterThanOrEqual(2);
    await ctx.db.query('UPDATE mediators SET active = false WHERE station_id = $1 AND NOT (id = ANY($2::bigint[]))', [
      room.id,
      serving.slice(0, 2).map((m) => m.id),
    ]);
    const perMediator = room.open / 2;
    await setThresholds('room_overload', { maxOpenPerMediator: Math.ceil(perMediator) });
    await evaluate();
    expect(await warningsOf('room_overload', `station:${room.id}`)).toEqual([]);
    await setThresholds('room_overload', { maxOpenPerMediator: Math.ceil(perMediator) - 1 });
    await evaluate();
    await evaluate();
    const w = await warningsOf('room_overload', `station:${room.id}`);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ period: '2023-W20', evidence: { open: room.open, mediators: 2 } });
    await setThresholds('room_overload', { maxOpenPerMediator: 25 });
  });

  it('(7) reopened_soon: a resolved case reopened withinDays after resolution fires, a day later it does not', async () => {
    const c = await newCase({ villageCode: villages[2] });
    let version = c.version;
    for (const [to, extra] of [
      ['accepted', {}],
      ['mediating', {}],
      ['resolved', { level: 'village' }],
    ] as const) {
      const r = await api('POST', `/api/disputes/${c.id}/transitions`, { version, to, ...extra });
      expect(r.statusCode, r.body).toBe(200);
      version = r.json().version ?? version + 1;
    }
    // Resolved ten days before it flares up again.
    await ctx.db.query(
      `UPDATE disputes SET reported_at = app_now() - interval '20 days', accepted_at = app_now() - interval '19 days',
         resolved_at = app_now() - interval '10 days' WHERE id = $1`,
      [c.id],
    );
    const v = (await ctx.db.query<{ version: number }>('SELECT version FROM disputes WHERE id = $1', [c.id])).rows[0];
    await setThresholds('reopened_soon', { withinDays: 9 });
    const re = await api('POST', `/api/disputes/${c.id}/reopen`, { version: v?.version });
    expect(re.statusCode, re.body).toBe(201);
    const newId = re.json().id as number;
    await evaluate();
    expect(await warningsOf('reopened_soon', `dispute:${newId}`)).toEqual([]);
    await setThresholds('reopened_soon', { withinDays: 10 });
    await evaluate();
    await evaluate();
    const w = await warningsOf('reopened_soon', `dispute:${newId}`);
    expect(w).toHaveLength(1);
    expect(w[0]?.evidence).toMatchObject({ fromId: c.id, daysAfterResolution: 10 });
    await setThresholds('reopened_soon', { withinDays: 30 });
  });

  it('(8) mediator_register: an appointment ending in withinDays fires once a month, one day fewer does not; the checks list uses the same days', async () => {
    // app_now() is 17 May 2023 on the demo: an appointment ending on 6 June has 20 days left.
    const res = await api('POST', '/api/mediators', {
      name: '预警测试调解员',
      kind: 'peoples_mediator',
      villageCode: villages[1],
      appointmentNo: '澧调聘〔2023〕预警号',
      appointedBy: '王家厂镇人民调解委员会',
      appointedFrom: '2022-06-07',
      appointedTo: '2023-06-06',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as number;
    const subject = `mediator:${id}:appointment_expiring`;
    const listed = async () =>
      (await api('GET', `/api/mediators/checks?town=${town}`)).json() as {
        withinDays: number;
        items: { rule: string; subjectId: number; daysLeft: number | null }[];
      };
    await setThresholds('mediator_register', { withinDays: 19 });
    await evaluate();
    expect(await warningsOf('mediator_register', subject)).toEqual([]);
    const at19 = await listed();
    expect(at19.withinDays).toBe(19);
    expect(at19.items.some((f) => f.subjectId === id && f.rule === 'appointment_expiring')).toBe(false);
    await setThresholds('mediator_register', { withinDays: 20 });
    await evaluate();
    await evaluate();
    const w = await warningsOf('mediator_register', subject);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({
      period: '2023-05',
      level: 'town',
      evidence: { check: 'appointment_expiring', mediatorId: id, due: '2023-06-06', daysLeft: 20 },
    });
    expect((await listed()).items).toContainEqual(
      expect.objectContaining({ rule: 'appointment_expiring', subjectId: id, daysLeft: 20 }),
    );
    // The town officer sees it on the warnings list of their town, drawn in the mediator's village.
    const mine = (await api('GET', '/api/warnings?rule=mediator_register&status=open&limit=200')).json() as {
      items: { id: number; townCode: string; villageCode: string | null; mediatorName?: string | null }[];
    };
    // It names the person as the register lists them: masked, never in clear.
    const masked = ((await api('GET', `/api/mediators/${id}`)).json() as { name: string }).name;
    expect(masked).not.toBe('预警测试调解员');
    expect(mine.items.find((x) => x.id === w[0]?.id)).toMatchObject({
      townCode: town,
      villageCode: villages[1],
      mediatorName: masked,
    });
    expect((await api('GET', `/api/warnings/${w[0]?.id}`)).json()).toMatchObject({ mediatorName: masked });
    await setThresholds('mediator_register', { withinDays: 60 });
  });

  it('evaluates inside the case write: the third case of a party raises the warning and notifies, no evaluate call', async () => {
    await setThresholds('repeat_party', { minCases: 3, windowDays: 90 });
    const party = { role: 'respondent', name: '事件当事人', phone: '13900002222' };
    const ids: number[] = [];
    for (const v of villages.slice(3, 6)) ids.push((await newCase({ villageCode: v, parties: [party] })).id);
    const { rows } = await ctx.db.query<{ id: number; dispute_id: number }>(
      `SELECT id::int, dispute_id::int FROM warnings WHERE rule_code = 'repeat_party' AND period = $1`,
      [`latest:${ids[2]}`],
    );
    expect(rows).toEqual([{ id: rows[0]?.id, dispute_id: ids[2] }]);
    const n = await ctx.db.query<{ kind: string; title: string; town_code: string }>(
      'SELECT kind, title, town_code FROM notification_events WHERE warning_id = $1',
      [rows[0]?.id],
    );
    expect(n.rows).toEqual([{ kind: 'warning.raised', title: 'warning.raised', town_code: town }]);
    // A write that fails rolls its warnings back with it: a stale edit raises nothing.
    const before = (await ctx.db.query('SELECT count(*)::int AS n FROM warnings')).rows[0];
    const stale = await api('PATCH', `/api/disputes/${ids[0]}`, { version: 99, riskLevel: 'red' });
    expect(stale.statusCode).toBe(409);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM warnings')).rows[0]).toEqual(before);
  });

  it('two evaluations at once (two app instances on one database) raise each warning once', async () => {
    const c = await newCase({ villageCode: villages[0], riskLevel: 'red', category: 'medical' });
    await ctx.db.query(`UPDATE disputes SET reported_at = app_now() - interval '50 hours' WHERE id = $1`, [c.id]);
    let second: Db = ctx.db;
    if (backend === 'server') {
      const name = (await ctx.db.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db as string;
      const url = new URL(inject('serverUrl') as string);
      url.pathname = `/${name}`;
      second = openPostgres({ connectionString: url.toString(), poolSize: 2, statementTimeoutMs: 60_000 });
    }
    try {
      const [a, b] = await Promise.all([evaluateAll(ctx.db), evaluateAll(second)]);
      const ids = [...a.raised, ...b.raised].map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(a.raised.some((r) => r.disputeId === c.id) !== b.raised.some((r) => r.disputeId === c.id)).toBe(true);
    } finally {
      if (second !== ctx.db) await second.close();
    }
    expect(await warningsOf('acceptance_overdue', `dispute:${c.id}`)).toHaveLength(1);
  });

  it('refuses bad rule edits naming the field, and unknown rule codes', async () => {
    const rules = (await api('GET', '/api/warnings/rules')).json().rules as {
      code: string;
      version: number;
      definition: { zh: string; en: string };
      thresholds: Record<string, number>;
    }[];
    expect(rules.map((r) => r.code)).toEqual([
      'acceptance_overdue',
      'repeat_party',
      'escalation',
      'emerging_hotspot',
      'screening_overdue',
      'room_overload',
      'reopened_soon',
      'mediator_register',
    ]);
    const repeat = rules.find((r) => r.code === 'repeat_party') as (typeof rules)[number];
    expect(repeat.definition.zh).toContain(`${repeat.thresholds.minCases} 件`);
    const put = (code: string, body: object) => api('PUT', `/api/warnings/rules/${code}`, body);
    const v = repeat.version;
    for (const [thresholds, field] of [
      [{ minCases: 1 }, 'thresholds.minCases'],
      [{ minCases: 2.5 }, 'thresholds.minCases'],
      [{ minCases: '3' }, 'thresholds.minCases'],
      [{ windowDays: 100000 }, 'thresholds.windowDays'],
      [{ bogus: 3 }, 'thresholds.bogus'],
      [{ constructor: 3 }, 'thresholds.constructor'],
    ] as const) {
      const res = await put('repeat_party', { version: v, thresholds });
      expect(res.statusCode, JSON.stringify(thresholds)).toBe(400);
      expect(res.json().field).toBe(field);
    }
    const cell = await put('emerging_hotspot', {
      version: (rules.find((r) => r.code === 'emerging_hotspot') as { version: number }).version,
      thresholds: { cellSize: 999 },
    });
    expect([cell.statusCode, cell.json().field]).toEqual([400, 'thresholds.cellSize']);
    expect((await put('no_such_rule', { version: 1, thresholds: {} })).statusCode).toBe(404);
    expect((await put('repeat_party', { version: v + 5, thresholds: { minCases: 3 } })).statusCode).toBe(409);
    const officer = await ctx.cookieFor(demoUsers.town_officer);
    expect((await api('PUT', '/api/warnings/rules/repeat_party', { version: v }, officer)).statusCode).toBe(403);
    const after = (await api('GET', '/api/warnings/rules'))
      .json()
      .rules.find((r: { code: string }) => r.code === 'repeat_party');
    expect(after.version).toBe(v);
    expect((await api('GET', '/api/warnings?rule=nope')).json().field).toBe('rule');
    expect((await api('GET', '/api/warnings?status=closed')).statusCode).toBe(400);
  });

  it('acknowledges, dismisses with a reason (versioned, audited), and refuses illegal moves naming the legal ones', async () => {
    const list = (await api('GET', `/api/warnings?town=${town}&status=open&limit=2`)).json();
    const [a, b] = list.items as { id: number; version: number }[];
    expect(a && b).toBeTruthy();
    if (!a || !b) return;
    const ack = await api('POST', `/api/warnings/${a.id}/acknowledge`, { version: a.version });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', version: a.version + 1 });
    const stale = await api('POST', `/api/warnings/${a.id}/dismiss`, { version: a.version, reason: '已核实' });
    expect([stale.statusCode, stale.json().field]).toEqual([409, 'version']);
    const noReason = await api('POST', `/api/warnings/${a.id}/dismiss`, { version: a.version + 1, reason: '   ' });
    expect([noReason.statusCode, noReason.json().field]).toEqual([400, 'reason']);
    const nul = await api('POST', `/api/warnings/${a.id}/dismiss`, { version: a.version + 1, reason: 'a\u0000b' });
    expect([nul.statusCode, nul.json().field]).toEqual([400, 'reason']);
    const dismissed = await api('POST', `/api/warnings/${a.id}/dismiss`, {
      version: a.version + 1,
      reason: '已现场核实，双方已和解',
    });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', dismissReason: '已现场核实，双方已和解' });
    const again = await api('POST', `/api/warnings/${a.id}/acknowledge`, { version: a.version + 2 });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/allowed from dismissed: none/);
    const { rows } = await ctx.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_type = 'warning' AND target_id = $1 ORDER BY id`,
      [String(a.id)],
    );
    expect(rows.map((r) => r.action)).toEqual(['warning.acknowledge', 'warning.dismiss']);
    expect((await api('POST', '/api/warnings/999999999/acknowledge', { version: 1 })).statusCode).toBe(404);
  });

  it('counts every open case’s related cases at once exactly as the one-case lookup does (place, ID number, phone)', async () => {
    // Two cases far apart and of other categories, tied only by a phone and by an ID number.
    const phone = { role: 'applicant', name: '关联测试甲', phone: '13900003333' };
    const idNo = { role: 'respondent', name: '关联测试乙', idNumber: '430723198001011111' };
    const a = await newCase({ villageCode: villages[0], category: 'land_forest', parties: [phone, idNo] });
    const b = await newCase({ villageCode: otherVillage, category: 'marriage_family', parties: [phone] });
    const c = await newCase({ villageCode: otherVillage, category: 'labour_wages', parties: [idNo] });
    const day = (await ctx.db.query<{ d: string }>(`SELECT to_char(app_now(), 'YYYY-MM-DD') AS d`)).rows[0]
      ?.d as string;
    const all = openCasesForEscalation(day, null);
    const county = new Map(
      (await ctx.db.query<{ id: number; repeatCount: number }>(all.text, all.values)).rows.map((r) => [
        Number(r.id),
        r.repeatCount,
      ]),
    );
    const one = await ctx.db.query<{ id: number; n: number }>(
      `SELECT d.id::int AS id, cardinality(${REPEAT_IDS('d')}) AS n FROM disputes d
       WHERE d.status IN ('reported', 'accepted', 'mediating') ORDER BY d.id`,
    );
    expect(one.rows.length).toBeGreaterThan(900);
    expect(county.size).toBe(one.rows.length);
    const differ = one.rows.filter((r) => county.get(Number(r.id)) !== r.n);
    expect(differ.slice(0, 5)).toEqual([]);
    expect(one.rows.filter((r) => r.n > 0).length).toBeGreaterThan(10);
    // The party ties are among the counted: a's related cases hold b (phone) and c (ID number), and b's hold a.
    const related = async (id: number) =>
      (
        await ctx.db.query<{ ids: string[] }>(`SELECT ${REPEAT_IDS('d')} AS ids FROM disputes d WHERE d.id = $1`, [id])
      ).rows[0]?.ids.map(Number);
    expect(await related(a.id)).toEqual(expect.arrayContaining([b.id, c.id]));
    expect(await related(b.id)).toContain(a.id);
    expect(county.get(a.id)).toBe((await related(a.id))?.length);
  });

  it('keeps every caller inside their scope: lists, one warning, actions, the map layer', async () => {
    const officer = await ctx.cookieFor(demoUsers.town_officer);
    const leader = await ctx.cookieFor(demoUsers.leader);
    // A county-level warning spanning towns (no town), and one in another town.
    const { rows } = await ctx.db.query<{ id: number }>(
      `INSERT INTO warnings (rule_code, subject_key, period, level, town_code, evidence, raised_at)
       VALUES ('repeat_party', 'party:id:scope-test', 'latest:1', 'county', NULL, '{}', app_now()),
              ('room_overload', 'station:scope-test', '2023-W20', 'town', $1, '{}', app_now())
       RETURNING id::int`,
      [otherTown],
    );
    const [countyWide, elsewhere] = rows.map((r) => r.id) as [number, number];
    const mine = (await api('GET', '/api/warnings?limit=5000', undefined, officer)).json();
    expect(mine.total).toBeGreaterThan(0);
    expect(new Set(mine.items.map((w: { townCode: string }) => w.townCode))).toEqual(new Set([town]));
    const county = (await api('GET', `/api/warnings?town=${town}&limit=5000`)).json();
    expect(mine.total).toBe(county.total);
    expect((await api('GET', `/api/warnings?town=${otherTown}`, undefined, officer)).statusCode).toBe(404);
    expect((await api('GET', `/api/warnings?village=${otherVillage}`, undefined, officer)).statusCode).toBe(404);
    for (const id of [countyWide, elsewhere]) {
      expect((await api('GET', `/api/warnings/${id}`, undefined, officer)).statusCode).toBe(404);
      expect((await api('POST', `/api/warnings/${id}/acknowledge`, { version: 1 }, officer)).statusCode).toBe(404);
      expect((await api('GET', `/api/warnings/${id}`, undefined, leader)).statusCode).toBe(200);
    }
    const status = await ctx.db.query<{ status: string }>('SELECT status FROM warnings WHERE id = ANY($1)', [
      [countyWide, elsewhere],
    ]);
    expect(status.rows.map((r) => r.status)).toEqual(['open', 'open']);
    const layer = (await api('GET', '/api/warnings?format=geojson', undefined, officer)).json() as {
      features: { properties: { townCode: string } }[];
    };
    expect(layer.features.length).toBeGreaterThan(0);
    expect(new Set(layer.features.map((f) => f.properties.townCode))).toEqual(new Set([town]));
    const screener = await ctx.cookieFor(demoUsers.screener);
    expect((await api('GET', '/api/warnings', undefined, screener)).statusCode).toBe(403);
  });
});
