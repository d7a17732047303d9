import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, demoUsers, openWritableApp, type TestContext } from './harness.js';

/** Joint meetings (issue 18) on both backends: recording, scope, bad input naming the field, regularity. */
describe.each(backends)('joint meetings on %s', (backend) => {
  let ctx: TestContext;
  let officer: { cookie: string };
  let town: string;
  let otherTown: string;
  let cases: number[];
  let room: number;
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    officer = { cookie: await ctx.cookieFor(demoUsers.town_officer) };
    town = (
      await ctx.db.query<{ town_code: string }>('SELECT town_code FROM accounts WHERE username = $1', [
        demoUsers.town_officer,
      ])
    ).rows[0]?.town_code as string;
    otherTown = (
      await ctx.db.query<{ code: string }>(
        `SELECT code FROM admin_units WHERE level = 'town' AND code <> $1 ORDER BY code LIMIT 1`,
        [town],
      )
    ).rows[0]?.code as string;
    cases = (
      await ctx.db.query<{ id: number }>(
        `SELECT id FROM disputes WHERE town_code = $1 AND status = 'mediating' ORDER BY id LIMIT 2`,
        [town],
      )
    ).rows.map((r) => Number(r.id));
    room = Number(
      (
        await ctx.db.query<{ id: number }>(
          `SELECT id FROM stations WHERE town_code = $1 AND kind = 'joint_mediation_room'`,
          [town],
        )
      ).rows[0]?.id,
    );
  });
  afterAll(async () => ctx?.close());

  const post = (payload: object, headers = officer) =>
    ctx.app.inject({ method: 'POST', url: '/api/meetings', payload, headers });
  const get = (url: string, headers?: { cookie: string }) => ctx.app.inject({ url, ...(headers ? { headers } : {}) });

  it('records a meeting discussing two cases with a decision for a station, once per client key', async () => {
    const options = (await get('/api/meetings/attendees', officer)).json();
    expect(options.mediators.length).toBeGreaterThan(0);
    expect(options.mediators.every((m: { name: string }) => m.name.endsWith('某'))).toBe(true);
    const clientKey = randomUUID();
    const payload = {
      kind: 'joint_meeting',
      heldOn: '2023-05-16',
      title: '五月联席会议',
      minutes: '研判两起纠纷',
      mediatorIds: [options.mediators[0].id],
      accountIds: [options.accounts.find((a: { role: string }) => a.role === 'town_officer').id],
      caseIds: cases,
      decisions: [{ text: '七日内再次组织调解', stationId: room, dueOn: '2023-05-23', disputeId: cases[0] }],
      clientKey,
    };
    const r = await post(payload);
    expect(r.statusCode).toBe(201);
    const m = r.json();
    expect(m.townCode).toBe(town);
    expect(m.cases.map((c: { id: number }) => c.id)).toEqual(cases);
    expect(m.decisions).toMatchObject([{ position: 1, stationId: room, dueOn: '2023-05-23', disputeId: cases[0] }]);
    expect(m.attendees).toHaveLength(2);
    const again = await post(payload);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(m.id);
    const n = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM joint_meetings WHERE client_key = $1', [
      clientKey,
    ]);
    expect(n.rows[0]?.n).toBe(1);
    const list = (await get('/api/meetings?limit=5', officer)).json();
    expect(list.items[0]).toMatchObject({ id: m.id, cases: 2, decisions: 1, attendees: 2 });
  });

  it("hands a decision to its station as a task in the meeting's transaction, linked, once per client key", async () => {
    const clientKey = randomUUID();
    const payload = {
      kind: 'work_meeting',
      heldOn: '2023-05-17',
      title: '工作例会',
      caseIds: [cases[1]],
      decisions: [
        {
          text: '三日内上门核实',
          stationId: room,
          dueOn: '2023-05-20',
          disputeId: cases[1],
          task: { action: 'verify' },
        },
        { text: '排查全村隐患', stationId: room, dueOn: '2023-05-31', task: { action: 'rescreen' } },
        { text: '只作记录', stationId: room },
      ],
      clientKey,
    };
    const r = await post(payload);
    expect(r.statusCode).toBe(201);
    const [onCase, onVillage, plain] = r.json().decisions;
    expect(onCase).toMatchObject({ taskStatus: 'assigned' });
    expect(onVillage).toMatchObject({ taskStatus: 'assigned' });
    expect(plain.taskId).toBeNull();
    const task = (await get(`/api/tasks/${onCase.taskId}`, officer)).json();
    expect(task).toMatchObject({
      action: 'verify',
      subjectKind: 'case',
      disputeId: cases[1],
      assigneeStationId: room,
      dueOn: '2023-05-20',
      instructions: '三日内上门核实',
    });
    const village = (await get(`/api/tasks/${onVillage.taskId}`, officer)).json();
    expect(village).toMatchObject({ action: 'rescreen', subjectKind: 'village', townCode: town });
    expect(village.villageCode.startsWith(town)).toBe(true);
    const again = await post(payload);
    expect(again.statusCode).toBe(200);
    expect(again.json().decisions.map((d: { taskId: number | null }) => d.taskId)).toEqual([
      onCase.taskId,
      onVillage.taskId,
      null,
    ]);
    const n = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tasks WHERE id IN (SELECT task_id FROM meeting_decisions WHERE meeting_id = $1)',
      [r.json().id],
    );
    expect(n.rows[0]?.n).toBe(2);
  });

  it('refuses a decision task without its station or due date, or due in the past, and writes neither', async () => {
    const count = async () =>
      (
        await ctx.db.query<{ m: number; t: number }>(
          'SELECT (SELECT count(*)::int FROM joint_meetings) AS m, (SELECT count(*)::int FROM tasks) AS t',
        )
      ).rows[0];
    const before = await count();
    const base = { kind: 'joint_meeting', heldOn: '2023-05-10', title: 't' };
    const task = { action: 'mediate' };
    for (const [decision, field] of [
      [{ text: 'x', dueOn: '2023-05-30', task }, 'decisions.0.stationId'],
      [{ text: 'x', stationId: room, task }, 'decisions.0.dueOn'],
      [{ text: 'x', stationId: room, dueOn: '2023-05-12', task }, 'decisions.0.dueOn'],
      [{ text: 'x', stationId: room, dueOn: '2023-05-30', task: { action: 'party' } }, 'decisions.0.task.action'],
    ] as const) {
      const r = await post({ ...base, decisions: [decision] });
      expect(r.statusCode, JSON.stringify(decision)).toBe(400);
      expect(r.json().field).toBe(field);
    }
    expect(await count()).toEqual(before);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const count = async () =>
      (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM joint_meetings')).rows[0]?.n;
    const before = await count();
    const base = { kind: 'joint_meeting', heldOn: '2023-05-10', title: 't' };
    const other = (
      await ctx.db.query<{ id: number }>('SELECT id FROM stations WHERE town_code = $1 LIMIT 1', [otherTown])
    ).rows[0]?.id;
    for (const [payload, field] of [
      [{ ...base, heldOn: '2023-05-18' }, 'heldOn'],
      [{ ...base, kind: 'party' }, 'kind'],
      [{ ...base, title: '' }, 'title'],
      [{ ...base, title: '   ' }, 'title'],
      [{ ...base, caseIds: [999999999] }, 'caseIds'],
      [{ ...base, decisions: [{ text: 'x', stationId: other }] }, 'decisions.0.stationId'],
      [{ ...base, decisions: [{ text: 'x', dueOn: '2023-05-01' }] }, 'decisions.0.dueOn'],
      [{ ...base, townCode: otherTown }, 'townCode'],
      [{ ...base, __proto__: { x: 1 }, minutes: 'a\u0000b' }, 'minutes'],
    ] as const) {
      const r = await post(payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().field).toBe(field);
    }
    expect(await count()).toBe(before);
  });

  it("lists a town officer's town meetings only; a county caller sees the county's too", async () => {
    const mine = (await get('/api/meetings?limit=500', officer)).json();
    expect(mine.total).toBeGreaterThan(0);
    expect(new Set(mine.items.map((m: { townCode: string }) => m.townCode))).toEqual(new Set([town]));
    expect((await get(`/api/meetings?town=${otherTown}`, officer)).statusCode).toBe(404);
    const county = (await get('/api/meetings?limit=500')).json();
    expect(county.items.some((m: { townCode: string | null }) => m.townCode === null)).toBe(true);
    const countyMeeting = county.items.find((m: { townCode: string | null }) => m.townCode === null);
    expect((await get(`/api/meetings/${countyMeeting.id}`, officer)).statusCode).toBe(404);
  });

  it('measures regularity against the monthly expectation, and the quarterly one when configured', async () => {
    const reg = (await get(`/api/meetings/regularity`, officer)).json();
    expect(reg.every).toBe('month');
    expect(reg.towns).toHaveLength(1);
    const row = reg.towns[0];
    expect(row.expected).toBe(12);
    const { rows } = await ctx.db.query<{ n: number }>(
      `SELECT count(DISTINCT to_char(held_on, 'YYYY-MM'))::int AS n FROM joint_meetings
       WHERE town_code = $1 AND held_on > '2022-05-31' AND held_on <= '2023-05-17'`,
      [town],
    );
    expect(row.met).toBe(rows[0]?.n);
    expect(row.periods.at(-1).period).toBe('2023-05');
    await ctx.db.query(`UPDATE app_settings SET value = 'quarter' WHERE key = 'joint_meeting_expected_every'`);
    try {
      const q = (await get(`/api/meetings/regularity`, officer)).json();
      expect(q.every).toBe('quarter');
      expect(q.towns[0].expected).toBe(4);
      expect(q.towns[0].periods.map((p: { period: string }) => p.period)).toEqual([
        '2022-Q3',
        '2022-Q4',
        '2023-Q1',
        '2023-Q2',
      ]);
    } finally {
      await ctx.db.query(`UPDATE app_settings SET value = 'month' WHERE key = 'joint_meeting_expected_every'`);
    }
  });
});
