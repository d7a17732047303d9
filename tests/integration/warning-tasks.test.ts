import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, demoUsers, openWritableApp, type TestContext } from './harness.js';

/**
 * A warning turned into a task (issue 16: "acknowledged, turned into a task, or dismissed"): one transaction makes
 * the task about the warning's own place and settles the warning as tasked, pointing at it (versioned, audited);
 * a second call or a retry answers the same task; assignees and warnings outside the caller's scope are 400
 * naming the field, a dismissed warning 409, and nothing is half-written.
 */
describe.each(backends)('warnings turned into tasks on %s', (backend) => {
  let ctx: TestContext;
  let officer: string;
  let today: string;
  let room: number;
  let foreignStation: number;
  const town = '430723108'; // 王家厂镇, the demo town officer's town

  const post = (body: object, cookie = officer) =>
    ctx.app.inject({ method: 'POST', url: '/api/tasks', payload: body, headers: { cookie } });
  const task = (warningId: number, extra: object = {}) => ({
    action: 'verify',
    subjectKind: 'warning',
    warningId,
    assigneeStationId: room,
    dueOn: today,
    ...extra,
  });
  const warningRow = async (id: number) =>
    (
      await ctx.db.query<{ status: string; task_id: number | null; version: number }>(
        'SELECT status, task_id::int, version FROM warnings WHERE id = $1',
        [id],
      )
    ).rows[0];
  const tasksOf = async (warningId: number) =>
    (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE warning_id = $1', [warningId]))
      .rows[0]?.n;
  let serial = 0;
  /** A fresh open warning (as the evaluation would raise it): about a case of the town, or a village of it. */
  const raise = async (about: 'case' | 'village', inTown = town) => {
    serial += 1;
    const r = await ctx.db.query<{ id: number; dispute_id: number | null; village_code: string | null }>(
      about === 'case'
        ? `INSERT INTO warnings (rule_code, subject_key, period, level, town_code, village_code, dispute_id, geom,
             evidence, raised_at)
           SELECT 'escalation', 'dispute:' || d.id, 'test-' || $2::int, 'town', d.town_code, d.village_code, d.id, d.geom,
             '{"score": 60, "minScore": 50}', app_now()
           FROM disputes d WHERE d.town_code = $1 AND d.village_code IS NOT NULL ORDER BY d.id OFFSET $2::int LIMIT 1
           RETURNING id::int, dispute_id::int, village_code`
        : `INSERT INTO warnings (rule_code, subject_key, period, level, town_code, village_code, geom, evidence,
             raised_at)
           SELECT 'screening_overdue', 'village:' || v.code, 'test-' || $2::int, 'town', v.parent_code, v.code,
             v.label_point, '{"daysOverdue": 3}', app_now()
           FROM admin_units v WHERE v.level = 'village' AND v.parent_code = $1 ORDER BY v.code LIMIT 1
           RETURNING id::int, dispute_id::int, village_code`,
      [inTown, serial],
    );
    expect(r.rows[0]).toBeDefined();
    return r.rows[0] as { id: number; dispute_id: number | null; village_code: string | null };
  };

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    officer = await ctx.cookieFor(demoUsers.town_officer);
    today = (
      await ctx.db.query<{ d: string }>(
        `SELECT to_char((app_now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS d`,
      )
    ).rows[0]?.d as string;
    const station = async (sql: string) => Number((await ctx.db.query<{ id: number }>(sql, [town])).rows[0]?.id);
    room = await station(
      `SELECT id FROM stations WHERE town_code = $1 AND kind = 'joint_mediation_room' ORDER BY id LIMIT 1`,
    );
    foreignStation = await station('SELECT id FROM stations WHERE town_code <> $1 ORDER BY id LIMIT 1');
  }, 120_000);
  afterAll(async () => ctx?.close());

  it("makes one task about the warning's case and settles the warning as tasked, audited", async () => {
    const w = await raise('case');
    const before = await warningRow(w.id);
    // The place is the warning's, whatever the client says.
    const other = await ctx.db.query<{ code: string }>(
      `SELECT code FROM admin_units WHERE level = 'village' AND parent_code = $1 AND code <> $2 ORDER BY code LIMIT 1`,
      [town, w.village_code ?? ''],
    );
    const r = await post(task(w.id, { instructions: '核实预警', villageCode: other.rows[0]?.code }));
    expect(r.statusCode, r.body).toBe(201);
    const t = r.json();
    expect(t).toMatchObject({
      subjectKind: 'warning',
      warningId: w.id,
      disputeId: w.dispute_id,
      villageCode: w.village_code,
      status: 'assigned',
      replayed: false,
    });
    expect(await warningRow(w.id)).toEqual({ status: 'tasked', task_id: t.id, version: (before?.version ?? 0) + 1 });
    const audit = await ctx.db.query<{ action: string; detail: { taskId: number } }>(
      `SELECT action, detail FROM audit_log WHERE target_type = 'warning' AND target_id = $1 ORDER BY id`,
      [String(w.id)],
    );
    expect(audit.rows.map((a) => [a.action, a.detail.taskId])).toEqual([['warning.task', t.id]]);
    // The officer's list shows the warning as tasked.
    const listed = await ctx.app.inject({ url: `/api/warnings/${w.id}`, headers: { cookie: officer } });
    expect(listed.json()).toMatchObject({ status: 'tasked', allowedMoves: [] });

    // A second call, even with other details, answers the same task; so does a retry.
    const again = await post(task(w.id, { action: 'visit', instructions: '再次点击' }));
    expect([again.statusCode, again.json().id, again.json().replayed]).toEqual([200, t.id, true]);
    expect(await tasksOf(w.id)).toBe(1);
    expect((await warningRow(w.id))?.version).toBe((before?.version ?? 0) + 1);
  });

  it('answers a retried call with the same client key, and two calls at once, with one task', async () => {
    const w = await raise('case');
    const clientKey = randomUUID();
    const [a, b] = await Promise.all([post(task(w.id, { clientKey })), post(task(w.id))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    const retry = await post(task(w.id, { clientKey }));
    expect([retry.statusCode, retry.json().id]).toEqual([200, a.json().id]);
    expect(await tasksOf(w.id)).toBe(1);
  });

  it("places a village's warning in its village (a screening round overdue)", async () => {
    const w = await raise('village');
    const r = await post(task(w.id, { action: 'rescreen' }));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ subjectKind: 'warning', warningId: w.id, villageCode: w.village_code });
  });

  it('refuses assignees and warnings outside the scope, and settled warnings, naming the field; writes nothing', async () => {
    const w = await raise('case');
    const before = await warningRow(w.id);
    const tasksBefore = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks')).rows[0]?.n;
    const bad = async (body: object, status: number, field: string, cookie = officer) => {
      const r = await post(body, cookie);
      expect([r.statusCode, r.json().field], r.body).toEqual([status, field]);
    };
    await bad(task(w.id, { assigneeStationId: foreignStation }), 400, 'assigneeStationId');
    await bad(task(w.id, { dueOn: '2020-01-01' }), 400, 'dueOn');
    await bad(task(999_999_999), 400, 'warningId');
    await bad(task(w.id, { warningId: 'x' }), 400, 'warningId');
    const otherTown = (
      await ctx.db.query<{ code: string }>(
        `SELECT code FROM admin_units WHERE level = 'town' AND code <> $1 ORDER BY code LIMIT 1`,
        [town],
      )
    ).rows[0]?.code as string;
    const foreign = await raise('village', otherTown);
    await bad(task(foreign.id), 400, 'warningId');
    // Station staff do not assign tasks.
    expect((await post(task(w.id), await ctx.cookieFor(demoUsers.station_staff))).statusCode).toBe(403);
    expect(await warningRow(w.id)).toEqual(before);
    expect(await warningRow(foreign.id)).toMatchObject({ status: 'open', task_id: null });

    const dismissed = await ctx.app.inject({
      method: 'POST',
      url: `/api/warnings/${w.id}/dismiss`,
      payload: { version: before?.version, reason: '已核实无风险' },
      headers: { cookie: officer },
    });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    const r = await post(task(w.id));
    expect([r.statusCode, r.json().field]).toEqual([409, 'warningId']);
    expect(r.json().message).toContain('dismissed');
    expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks')).rows[0]?.n).toBe(tasksBefore);
  });
});
