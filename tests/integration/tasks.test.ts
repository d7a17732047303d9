import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../server/auth/accounts.js';
import { loadConfig } from '../../server/config.js';
import { runDueJobs } from '../../server/services/scheduler/index.js';
import { jobs } from '../../server/services/scheduler/jobs.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

/**
 * Dispatch and supervision (issue 16): a town officer hands a task to the town's joint mediation room or to a
 * field screener; the assignee accepts and reports back; the officer closes it or sends it back. Illegal moves
 * and stale versions are 409, the wrong side 403, bad input 400 naming the field with nothing written; overdue
 * tasks are reminded and escalated by the scheduler job, once.
 */
describe.each(backends)('tasks on %s', (backend) => {
  let ctx: TestContext;
  let town: string;
  let village: string;
  let room: number;
  let otherStation: number;
  let today: string;
  const ids: Record<string, number> = {};
  const cookie: Record<string, string> = {};

  const as = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { cookie: cookie[who] as string } });
  const tasksCount = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks')).rows[0]?.n;
  const inbox = async (who: string, kind: string) =>
    (await as(who, 'GET', `/api/notifications?kind=${kind}&limit=200`)).json().items as {
      taskId: number;
      kind: string;
    }[];
  const newTask = async (extra: object = {}) => {
    const r = await as('officer.ln', 'POST', '/api/tasks', {
      action: 'verify',
      subjectKind: 'village',
      villageCode: village,
      assigneeStationId: room,
      dueOn: today,
      instructions: '核实界址纠纷',
      ...extra,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: number; version: number; status: string; allowedMoves: string[] };
  };
  const move = (who: string, id: number, body: object) => as(who, 'POST', `/api/tasks/${id}/transitions`, body);

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    const { rows } = await ctx.db.query<{ station_id: number; town_code: string }>(
      `SELECT a.station_id, s.town_code FROM accounts a JOIN stations s ON s.id = a.station_id WHERE a.username = 'station.ln'`,
    );
    town = rows[0]?.town_code as string;
    room = Number(
      (
        await ctx.db.query<{ id: number }>(
          `SELECT id FROM stations WHERE town_code = $1 AND kind = 'joint_mediation_room' ORDER BY id LIMIT 1`,
          [town],
        )
      ).rows[0]?.id,
    );
    otherStation = Number(
      (
        await ctx.db.query<{ id: number }>(
          `SELECT s.id FROM stations s JOIN accounts a ON a.town_code = s.town_code WHERE a.username = 'town.wjc' LIMIT 1`,
        )
      ).rows[0]?.id,
    );
    village = (
      await ctx.db.query<{ code: string }>(
        `SELECT code FROM admin_units WHERE parent_code = $1 AND level = 'village' ORDER BY code LIMIT 1`,
        [town],
      )
    ).rows[0]?.code as string;
    today = (
      await ctx.db.query<{ d: string }>(
        `SELECT to_char((app_now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS d`,
      )
    ).rows[0]?.d as string;
    const pw = 'x'.repeat(12);
    ids['room.ln'] = await createAccount(ctx.db, {
      username: 'room.ln',
      displayName: '联调室调解员',
      role: 'station_staff',
      stationId: room,
      password: pw,
    });
    ids['officer.ln'] = await createAccount(ctx.db, {
      username: 'officer.ln',
      displayName: '澧南镇干部',
      role: 'town_officer',
      townCode: town,
      password: pw,
    });
    ids['screener.ln'] = await createAccount(ctx.db, {
      username: 'screener.ln',
      displayName: '澧南网格员',
      role: 'screener',
      villages: [village],
      password: pw,
    });
    for (const name of ['room.ln', 'officer.ln', 'screener.ln', 'town.wjc', 'station.ln', 'screener.wjc', 'admin']) {
      cookie[name] = await ctx.cookieFor(name);
      if (!ids[name]) {
        ids[name] = Number(
          (await ctx.db.query<{ id: number }>('SELECT id FROM accounts WHERE username = $1', [name])).rows[0]?.id,
        );
      }
    }
  });
  afterAll(async () => ctx?.close());

  it('has synthetic demo tasks at every stage, with the steps announced to the demo town officer', async () => {
    const demo = await ctx.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM tasks WHERE demo GROUP BY status ORDER BY status',
    );
    expect(demo.rows.map((r) => r.status)).toEqual(['accepted', 'assigned', 'closed', 'reported']);
    const bell = (await as('town.wjc', 'GET', '/api/notifications?family=task&limit=50')).json();
    expect(bell.items.map((i: { kind: string }) => i.kind)).toEqual(
      expect.arrayContaining(['task.accepted', 'task.reported']),
    );
    const cases = (await as('town.wjc', 'GET', '/api/notifications?kind=case.created')).json();
    expect(cases.items.length).toBeGreaterThan(0);
    // The overdue ones were reminded by the supervision pass.
    const overdue = (await as('town.wjc', 'GET', '/api/tasks?overdue=true')).json();
    expect(overdue.items.length).toBeGreaterThan(0);
  });

  it('goes assigned → accepted → reported → closed, each step in the history, the audit log and the other side’s inbox', async () => {
    const t = await newTask();
    expect(t).toMatchObject({ status: 'assigned', version: 1, allowedMoves: [] });
    expect((await inbox('room.ln', 'task.assigned')).map((n) => n.taskId)).toContain(t.id);
    // The police station of the same town is not the assignee: it is not told and does not see the task.
    expect((await inbox('station.ln', 'task.assigned')).map((n) => n.taskId)).not.toContain(t.id);
    expect((await as('station.ln', 'GET', `/api/tasks/${t.id}`)).statusCode).toBe(404);

    const seen = (await as('room.ln', 'GET', `/api/tasks/${t.id}`)).json();
    expect(seen.allowedMoves).toEqual(['accepted']);
    const accepted = await move('room.ln', t.id, { to: 'accepted', version: 1 });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const [lon, lat] = seen.point as [number, number];
    const reported = await move('room.ln', t.id, {
      to: 'reported',
      version: 2,
      note: '已走访双方，矛盾化解',
      lon,
      lat,
    });
    expect(reported.json()).toMatchObject({
      status: 'reported',
      reportNote: '已走访双方，矛盾化解',
      reportPoint: [lon, lat],
    });
    expect((await inbox('officer.ln', 'task.reported')).map((n) => n.taskId)).toContain(t.id);
    expect((await inbox('officer.ln', 'task.accepted')).map((n) => n.taskId)).toContain(t.id);
    const closed = await move('officer.ln', t.id, { to: 'closed', version: 3, note: '销号' });
    expect(closed.json()).toMatchObject({ status: 'closed', version: 4, allowedMoves: [] });
    expect(closed.json().events.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'accepted',
      'reported',
      'closed',
    ]);
    expect((await inbox('room.ln', 'task.closed')).map((n) => n.taskId)).toContain(t.id);
    const audited = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'POST /api/tasks/:id/transitions' AND target_id = $1 AND outcome = 'ok'`,
      [String(t.id)],
    );
    expect(audited.rows[0]?.n).toBe(3);
  });

  it('sends a report back, and the assignee accepts it again', async () => {
    const t = await newTask({ action: 'mediate' });
    await move('room.ln', t.id, { to: 'accepted', version: 1 });
    await move('room.ln', t.id, { to: 'reported', version: 2, note: '已调解' });
    const back = await move('officer.ln', t.id, { to: 'sent_back', version: 3, note: '协议未签，请补充' });
    expect(back.json()).toMatchObject({ status: 'sent_back' });
    expect((await inbox('room.ln', 'task.sent_back')).map((n) => n.taskId)).toContain(t.id);
    const again = await move('room.ln', t.id, { to: 'accepted', version: 4 });
    expect(again.json()).toMatchObject({ status: 'accepted', allowedMoves: ['reported'] });
  });

  it('answers illegal moves 409 naming the legal ones, stale versions 409, the wrong side 403, and changes nothing', async () => {
    const t = await newTask();
    const illegal = await move('officer.ln', t.id, { to: 'closed', version: 1, note: 'x' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json()).toMatchObject({ field: 'to' });
    expect(illegal.json().message).toMatch(/allowed from assigned: accepted$/);
    const wrongSide = await move('officer.ln', t.id, { to: 'accepted', version: 1 });
    expect(wrongSide.statusCode).toBe(403);
    await move('room.ln', t.id, { to: 'accepted', version: 1 });
    const stale = await move('room.ln', t.id, { to: 'reported', version: 1, note: 'x' });
    expect([stale.statusCode, stale.json().field]).toEqual([409, 'version']);
    const noNote = await move('room.ln', t.id, { to: 'reported', version: 2, note: '  ' });
    expect([noNote.statusCode, noNote.json().field]).toEqual([400, 'note']);
    const halfPoint = await move('room.ln', t.id, { to: 'reported', version: 2, note: 'x', lon: 111.7 });
    expect([halfPoint.statusCode, halfPoint.json().field]).toEqual([400, 'lat']);
    const farAway = await move('room.ln', t.id, { to: 'reported', version: 2, note: 'x', lon: 0, lat: 0 });
    expect([farAway.statusCode, farAway.json().field]).toEqual([400, 'lon']);
    const unknown = await move('room.ln', t.id, { to: 'done', version: 2 });
    expect([unknown.statusCode, unknown.json().field]).toEqual([400, 'to']);
    const detail = (await as('room.ln', 'GET', `/api/tasks/${t.id}`)).json();
    expect(detail).toMatchObject({ status: 'accepted', version: 2 });
    expect(detail.events).toHaveLength(2);
    // Out of scope is not found, whatever the move.
    expect((await move('town.wjc', t.id, { to: 'closed', version: 2 })).statusCode).toBe(404);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await tasksCount();
    const bad = async (body: object, field: string, status = 400) => {
      const r = await as('officer.ln', 'POST', '/api/tasks', {
        action: 'verify',
        subjectKind: 'village',
        villageCode: village,
        assigneeStationId: room,
        dueOn: today,
        ...body,
      });
      expect([r.statusCode, r.json().field], r.body).toEqual([status, field]);
    };
    await bad({ dueOn: '2020-01-01' }, 'dueOn');
    await bad({ dueOn: '2023-02-30' }, 'dueOn');
    await bad({ assigneeStationId: otherStation }, 'assigneeStationId');
    await bad({ assigneeStationId: 999_999 }, 'assigneeStationId');
    await bad({ assigneeStationId: undefined }, 'assigneeStationId');
    await bad({ assigneeAccountId: ids['screener.ln'] }, 'assigneeStationId');
    await bad({ assigneeStationId: undefined, assigneeAccountId: ids['screener.wjc'] }, 'assigneeAccountId');
    await bad({ assigneeStationId: undefined, assigneeAccountId: ids['room.ln'] }, 'assigneeAccountId');
    await bad({ villageCode: '430723108001' }, 'villageCode');
    await bad({ action: 'arrest' }, 'action');
    await bad({ subjectKind: 'case', villageCode: undefined }, 'disputeId');
    await bad({ subjectKind: 'warning' }, 'warningId');
    await bad({ subjectKind: 'cell', villageCode: undefined, cellId: '12', cellSize: '1000' }, 'lon');
    await bad({ instructions: 'x'.repeat(2001) }, 'instructions');
    await bad({ __proto__: { x: 1 }, constructor: 'x' }, 'constructor');
    await bad({ instructions: '\u0000' }, 'instructions');
    expect(await tasksCount()).toBe(before);
    // Station staff and screeners do not assign.
    const staff = await as('room.ln', 'POST', '/api/tasks', {
      action: 'verify',
      subjectKind: 'village',
      villageCode: village,
      assigneeStationId: room,
      dueOn: today,
    });
    expect(staff.statusCode).toBe(403);
    expect(await tasksCount()).toBe(before);
  });

  it('stores a retried create once (client key)', async () => {
    const clientKey = randomUUID();
    const first = await newTask({ clientKey });
    const again = await as('officer.ln', 'POST', '/api/tasks', {
      action: 'verify',
      subjectKind: 'village',
      villageCode: village,
      assigneeStationId: room,
      dueOn: today,
      clientKey,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.id, replayed: true });
    const n = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE client_key = $1', [
      clientKey,
    ]);
    expect(n.rows[0]?.n).toBe(1);
  });

  it("gives a screener a re-screen task of their village, on their to-do list, and nobody else's", async () => {
    const t = await newTask({
      action: 'rescreen',
      assigneeStationId: undefined,
      assigneeAccountId: ids['screener.ln'],
    });
    const mine = (await as('screener.ln', 'GET', '/api/tasks?open=true')).json();
    expect(mine.items.map((i: { id: number }) => i.id)).toContain(t.id);
    expect(mine.items.every((i: { assigneeAccountId: number }) => i.assigneeAccountId === ids['screener.ln'])).toBe(
      true,
    );
    expect((await inbox('screener.ln', 'task.assigned')).map((n) => n.taskId)).toContain(t.id);
    expect((await as('screener.wjc', 'GET', `/api/tasks/${t.id}`)).statusCode).toBe(404);
    expect((await as('screener.wjc', 'GET', '/api/tasks')).json().items.map((i: { id: number }) => i.id)).not.toContain(
      t.id,
    );
    const other = (await as('town.wjc', 'GET', '/api/tasks?limit=500')).json();
    expect(other.items.every((i: { townCode: string }) => i.townCode !== town)).toBe(true);
    expect((await as('town.wjc', 'GET', `/api/tasks?town=${town}`)).statusCode).toBe(404);
    const accepted = await move('screener.ln', t.id, { to: 'accepted', version: 1 });
    expect(accepted.json().status).toBe('accepted');
  });

  it('creates from a case and from a hot-spot cell, placing the task where its subject is', async () => {
    const d = await ctx.db.query<{ id: number; village_code: string }>(
      'SELECT id, village_code FROM disputes WHERE town_code = $1 ORDER BY id LIMIT 1',
      [town],
    );
    const fromCase = await newTask({ subjectKind: 'case', villageCode: undefined, disputeId: Number(d.rows[0]?.id) });
    expect(fromCase).toMatchObject({ disputeId: Number(d.rows[0]?.id), villageCode: d.rows[0]?.village_code });
    const p = await ctx.db.query<{ lon: number; lat: number }>(
      'SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units WHERE code = $1',
      [village],
    );
    const fromCell = await newTask({
      subjectKind: 'cell',
      villageCode: undefined,
      cellId: '123456',
      cellSize: '1000',
      lon: Number(p.rows[0]?.lon),
      lat: Number(p.rows[0]?.lat),
    });
    expect(fromCell).toMatchObject({ subjectKind: 'cell', cellId: '123456', cellSize: 1000, villageCode: village });
    const otherCase = await ctx.db.query<{ id: number }>(
      'SELECT id FROM disputes WHERE town_code <> $1 ORDER BY id LIMIT 1',
      [town],
    );
    const r = await as('officer.ln', 'POST', '/api/tasks', {
      action: 'verify',
      subjectKind: 'case',
      disputeId: Number(otherCase.rows[0]?.id),
      assigneeStationId: room,
      dueOn: today,
    });
    expect([r.statusCode, r.json().field]).toEqual([400, 'disputeId']);
  });

  it('counts issued, closed on time and overdue per town and per station', async () => {
    const f = (await as('officer.ln', 'GET', '/api/tasks/figures?by=station')).json();
    const mine = f.units.find((u: { key: string }) => u.key === String(room));
    const counts = await ctx.db.query<{ issued: number; closed: number }>(
      `SELECT count(*)::int AS issued, count(*) FILTER (WHERE status = 'closed')::int AS closed FROM tasks WHERE assignee_station_id = $1`,
      [room],
    );
    expect(mine).toMatchObject({ issued: counts.rows[0]?.issued, closed: counts.rows[0]?.closed, closedOnTime: 1 });
    const byTown = (await as('officer.ln', 'GET', '/api/tasks/figures')).json();
    expect(byTown.units.map((u: { townCode: string }) => u.townCode)).toEqual([town]);
  });

  it('reminds overdue tasks daily and escalates them to the county after the configured days, once', async () => {
    const t = await newTask({ action: 'visit' });
    const accepted = await newTask({ action: 'report_back' });
    await move('room.ln', accepted.id, { to: 'accepted', version: 1 });
    const reported = await newTask({ action: 'verify' });
    await move('room.ln', reported.id, { to: 'accepted', version: 1 });
    await move('room.ln', reported.id, { to: 'reported', version: 2, note: '已核实' });
    // Four days on: past the due date by 4 ≥ 3 (the default setting).
    await ctx.db.query(
      `UPDATE app_settings SET value = to_char(value::timestamptz + interval '4 days', 'YYYY-MM-DD"T"HH24:MI:SSOF') WHERE key = 'as_of'`,
    );
    const config = loadConfig({ DATA_DIR: '.data/test', LOG_LEVEL: 'silent' });
    const run = () => runDueJobs(ctx.db, { jobs: jobs.filter((j) => j.name === 'tasks.supervise'), config });
    expect((await run()).map((o) => o.outcome)).toEqual(['done']);
    const steps = async (id: number) =>
      (await as('officer.ln', 'GET', `/api/tasks/${id}`)).json().events.map((e: { kind: string }) => e.kind);
    expect(await steps(t.id)).toEqual(['created', 'reminded', 'escalated']);
    expect(await steps(accepted.id)).toEqual(['created', 'accepted', 'reminded', 'escalated']);
    // A reported task waits on the assigner, not the assignee: no reminder.
    expect(await steps(reported.id)).toEqual(['created', 'accepted', 'reported']);
    const item = (await as('officer.ln', 'GET', `/api/tasks/${t.id}`)).json();
    expect(item).toMatchObject({ overdue: true, daysOverdue: 4, escalated: true });
    expect((await inbox('room.ln', 'task.overdue')).map((n) => n.taskId)).toContain(t.id);
    expect((await inbox('admin', 'task.escalated')).map((n) => n.taskId)).toContain(t.id);
    expect((await inbox('officer.ln', 'task.escalated')).map((n) => n.taskId)).toContain(t.id);
    // The same day again (a second instance, a re-run): nothing new.
    expect((await run()).map((o) => o.outcome)).toEqual(['taken']);
    const { superviseTasks } = await import('../../server/services/tasks/supervise.js');
    expect(await superviseTasks(ctx.db)).toMatchObject({ reminded: 0, escalated: 0 });
    expect(await steps(t.id)).toEqual(['created', 'reminded', 'escalated']);
    const overdue = (await as('officer.ln', 'GET', '/api/tasks?overdue=true&limit=500')).json();
    expect(overdue.items.map((i: { id: number }) => i.id)).toEqual(expect.arrayContaining([t.id, accepted.id]));
    expect(overdue.items.map((i: { id: number }) => i.id)).not.toContain(reported.id);
  });
});
