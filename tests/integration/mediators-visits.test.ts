import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, demoUsers, openWritableApp, type TestContext } from './harness.js';

/**
 * The register of mediators and follow-up visits (issue 18) on both backends: constraints, scope (a town officer
 * sees and keeps their town's register only), audited reveal, names never stored or answered in clear, visits
 * only on resolved cases, the reopen from a visit.
 */
describe.each(backends)('mediators and follow-up visits on %s', (backend) => {
  let ctx: TestContext;
  let officer: { cookie: string };
  let leader: { cookie: string };
  let town: string;
  let otherTown: string;
  let room: number;
  let otherRoom: number;
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    officer = { cookie: await ctx.cookieFor(demoUsers.town_officer) };
    leader = { cookie: await ctx.cookieFor(demoUsers.leader) };
    const { rows } = await ctx.db.query<{ town_code: string }>(`SELECT town_code FROM accounts WHERE username = $1`, [
      demoUsers.town_officer,
    ]);
    town = rows[0]?.town_code as string;
    const rooms = (
      await ctx.db.query<{ id: number; town_code: string }>(
        `SELECT id, town_code FROM stations WHERE kind = 'joint_mediation_room' ORDER BY id`,
      )
    ).rows;
    room = Number(rooms.find((r) => r.town_code === town)?.id);
    const other = rooms.find((r) => r.town_code !== town);
    otherRoom = Number(other?.id);
    otherTown = other?.town_code as string;
  });
  afterAll(async () => ctx?.close());

  const send = (
    method: 'POST' | 'PATCH' | 'PUT' | 'GET',
    url: string,
    payload?: object,
    headers?: { cookie: string },
  ) => ctx.app.inject({ method, url, ...(payload ? { payload } : {}), ...(headers ? { headers } : {}) });
  const name = () => `测试${randomUUID().slice(0, 4)}`;

  it('registers a mediator with the name encrypted at rest and masked in the answer', async () => {
    const clear = `欧阳${name()}`;
    const r = await send(
      'POST',
      '/api/mediators',
      {
        name: clear,
        kind: 'judicial_assistant',
        stationId: room,
        appointmentNo: `T-${randomUUID().slice(0, 8)}`,
        appointedBy: '澧县司法局',
        appointedFrom: '2022-01-01',
        appointedTo: '2025-01-01',
      },
      officer,
    );
    expect(r.statusCode).toBe(201);
    expect(r.json().name).toBe('欧阳某');
    expect(r.body).not.toContain(clear);
    const stored = (
      await ctx.db.query<{ name_enc: string }>('SELECT name_enc FROM mediators WHERE id = $1', [r.json().id])
    ).rows[0];
    expect(stored?.name_enc).toMatch(/^pd1:[0-9a-f]{8}:/);
    expect(stored?.name_enc).not.toContain(clear);
  });

  it('refuses dates out of order, an appointment number twice in one committee, and a place outside the town', async () => {
    const no = `D-${randomUUID().slice(0, 8)}`;
    const base = {
      name: name(),
      kind: 'peoples_mediator',
      stationId: room,
      appointmentNo: no,
      appointedFrom: '2022-01-01',
    };
    const reversed = await send('POST', '/api/mediators', { ...base, appointedTo: '2021-12-31' }, officer);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().field).toBe('appointedTo');
    expect((await send('POST', '/api/mediators', base, officer)).statusCode).toBe(201);
    const twice = await send('POST', '/api/mediators', { ...base, name: name() }, officer);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().field).toBe('appointmentNo');
    // The same number in another committee is another appointment.
    expect((await send('POST', '/api/mediators', { ...base, stationId: otherRoom })).statusCode).toBe(201);
    const outside = await send(
      'POST',
      '/api/mediators',
      { ...base, appointmentNo: undefined, stationId: otherRoom },
      officer,
    );
    expect(outside.statusCode).toBe(400);
    expect(outside.json().field).toBe('stationId');
    const bad = await send('POST', '/api/mediators', { ...base, kind: 'judge' }, officer);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('kind');
    // The database holds the rules whoever writes: dates in order, one number per committee.
    await expect(
      ctx.db.query(
        `INSERT INTO mediators (name_enc, kind, station_id, town_code, appointed_from, appointed_to, created_by)
         VALUES ('pd1:00000000:x', 'peoples_mediator', $1, $2, '2023-01-02', '2023-01-01', 't')`,
        [room, town],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      ctx.db.query(
        `INSERT INTO mediators (name_enc, kind, station_id, town_code, appointment_no, appointed_from, created_by)
         VALUES ('pd1:00000000:x', 'peoples_mediator', $1, $2, $3, '2022-01-01', 't')`,
        [room, town, no],
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it("shows a town officer their town's register only; another town's mediator is 404", async () => {
    const list = await send('GET', '/api/mediators?limit=1000', undefined, officer);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { townCode: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((m) => m.townCode))).toEqual(new Set([town]));
    expect((await send('GET', `/api/mediators?town=${otherTown}`, undefined, officer)).statusCode).toBe(404);
    const theirs = (
      await ctx.db.query<{ id: number }>('SELECT id FROM mediators WHERE town_code = $1 LIMIT 1', [otherTown])
    ).rows[0];
    expect((await send('GET', `/api/mediators/${theirs?.id}`, undefined, officer)).statusCode).toBe(404);
    const patch = await send('PATCH', `/api/mediators/${theirs?.id}`, { version: 1, active: false }, officer);
    expect(patch.statusCode).toBe(404);
    expect((await send('GET', `/api/mediators/${theirs?.id}`)).statusCode).toBe(200);
  });

  it('reveals one name at a time with an audit row that holds no name; leaders get 403', async () => {
    const clear = name();
    const made = await send(
      'POST',
      '/api/mediators',
      { name: clear, kind: 'police_officer', stationId: room },
      officer,
    );
    const id = made.json().id as number;
    const count = async () =>
      (
        await ctx.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'reveal-personal-data' AND target_type = 'mediator'
             AND target_id = $1`,
          [String(id)],
        )
      ).rows[0]?.n;
    expect(await count()).toBe(0);
    const r = await send('POST', `/api/mediators/${id}/reveal`, undefined, officer);
    expect(r.statusCode).toBe(200);
    expect(r.json().name).toBe(clear);
    expect(await count()).toBe(1);
    expect((await send('POST', `/api/mediators/${id}/reveal`, undefined, leader)).statusCode).toBe(403);
    const theirs = (
      await ctx.db.query<{ id: number }>('SELECT id FROM mediators WHERE town_code = $1 LIMIT 1', [otherTown])
    ).rows[0];
    expect((await send('POST', `/api/mediators/${theirs?.id}/reveal`, undefined, officer)).statusCode).toBe(404);
    const logs = await ctx.db.query<{ detail: string }>(`SELECT detail::text AS detail FROM audit_log`);
    expect(logs.rows.some((l) => l.detail.includes(clear))).toBe(false);
  });

  it('lists expiring appointments, short training and a room without an active judicial assistant', async () => {
    const soon = (
      await ctx.db.query<{ d: string }>(
        `SELECT to_char((app_now() AT TIME ZONE 'Asia/Shanghai')::date + 30, 'YYYY-MM-DD') AS d`,
      )
    ).rows[0]?.d as string;
    const m = await send(
      'POST',
      '/api/mediators',
      {
        name: name(),
        kind: 'peoples_mediator',
        stationId: room,
        appointedFrom: '2020-06-01',
        appointedTo: soon,
      },
      officer,
    );
    const id = m.json().id as number;
    const checks = (await send('GET', '/api/mediators/checks', undefined, officer)).json();
    const mine = (
      checks.items as { rule: string; subjectId: number; daysLeft: number | null; townCode: string }[]
    ).filter((f) => f.subjectId === id);
    expect(mine.map((f) => f.rule).sort()).toEqual(['appointment_expiring', 'training_short']);
    expect(mine.find((f) => f.rule === 'appointment_expiring')?.daysLeft).toBe(30);
    expect(new Set((checks.items as { townCode: string }[]).map((f) => f.townCode))).toEqual(new Set([town]));
    // 24 hours of training take it off the list.
    for (const hours of [12, 12]) {
      const t = await send(
        'POST',
        `/api/mediators/${id}/trainings`,
        { trainedOn: '2023-03-01', hours, course: '调解技巧' },
        officer,
      );
      expect(t.statusCode).toBe(201);
    }
    const after = (await send('GET', '/api/mediators/checks', undefined, officer)).json();
    expect(
      (after.items as { rule: string; subjectId: number }[]).filter((f) => f.subjectId === id).map((f) => f.rule),
    ).toEqual(['appointment_expiring']);
    const future = await send(
      'POST',
      `/api/mediators/${id}/trainings`,
      { trainedOn: '2099-01-01', hours: 2, course: 'x' },
      officer,
    );
    expect(future.statusCode).toBe(400);
    expect(future.json().field).toBe('trainedOn');
    // A room whose assistants are all inactive is listed; the county sees rooms of every town.
    const county = (await send('GET', '/api/mediators/checks')).json();
    const rooms = (county.items as { rule: string; subjectId: number }[]).filter(
      (f) => f.rule === 'room_without_assistant',
    );
    const { rows } = await ctx.db.query<{ id: number }>(
      `SELECT r.id FROM stations r WHERE r.kind = 'joint_mediation_room' AND NOT EXISTS (
         SELECT 1 FROM mediators m WHERE m.station_id = r.id AND m.active AND m.kind = 'judicial_assistant') ORDER BY r.id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rooms.map((r) => r.subjectId).sort((a, b) => a - b)).toEqual(rows.map((r) => Number(r.id)));
  });

  async function caseIn(status: string, t = town) {
    const { rows } = await ctx.db.query<{ id: number; version: number }>(
      `SELECT d.id, d.version FROM disputes d WHERE d.town_code = $1 AND d.status = $2
         AND NOT EXISTS (SELECT 1 FROM follow_up_visits v WHERE v.dispute_id = d.id)
       ORDER BY d.resolved_at DESC NULLS LAST, d.id DESC LIMIT 1`,
      [t, status],
    );
    return { id: Number(rows[0]?.id), version: Number(rows[0]?.version) };
  }

  it("names a case's mediators from its town or station only, and counts the case in their figures", async () => {
    const c = await caseIn('resolved');
    const own = (await send('GET', '/api/mediators?limit=1&kind=police_officer', undefined, officer)).json().items[0];
    const theirs = (
      await ctx.db.query<{ id: number }>('SELECT id FROM mediators WHERE town_code = $1 AND active LIMIT 1', [
        otherTown,
      ])
    ).rows[0];
    const bad = await send(
      'PUT',
      `/api/disputes/${c.id}/mediators`,
      { mediatorIds: [own.id, Number(theirs?.id)] },
      officer,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('mediatorIds');
    const before = (await send('GET', `/api/mediators/${own.id}`)).json().figures;
    const ok = await send('PUT', `/api/disputes/${c.id}/mediators`, { mediatorIds: [own.id] }, officer);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().map((m: { id: number }) => m.id)).toEqual([own.id]);
    const after = (await send('GET', `/api/mediators/${own.id}`)).json().figures;
    expect(after.cases).toBe(before.cases + 1);
    expect(after.resolved).toBe(before.resolved + 1);
  });

  it('records a visit on a resolved case only, once per client key, and refuses bad dates naming the field', async () => {
    const open = await caseIn('reported');
    const body = { visitedOn: '2023-05-16', performance: 'honoured', satisfaction: 'satisfied' };
    const refused = await send('POST', `/api/disputes/${open.id}/visits`, body, officer);
    expect(refused.statusCode).toBe(409);
    await expect(
      ctx.db.query(
        `INSERT INTO follow_up_visits (dispute_id, visited_on, performance, satisfaction, actor)
         VALUES ($1, '2023-05-16', 'honoured', 'satisfied', 't')`,
        [open.id],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    const c = await caseIn('resolved');
    const future = await send('POST', `/api/disputes/${c.id}/visits`, { ...body, visitedOn: '2023-05-18' }, officer);
    expect(future.statusCode).toBe(400);
    expect(future.json().field).toBe('visitedOn');
    const badSat = await send('POST', `/api/disputes/${c.id}/visits`, { ...body, satisfaction: 'meh' }, officer);
    expect(badSat.json().field).toBe('satisfaction');
    const key = randomUUID();
    const first = await send('POST', `/api/disputes/${c.id}/visits`, { ...body, clientKey: key }, officer);
    const again = await send('POST', `/api/disputes/${c.id}/visits`, { ...body, clientKey: key }, officer);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().visitId).toBe(first.json().visitId);
    const n = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM follow_up_visits WHERE client_key = $1',
      [key],
    );
    expect(n.rows[0]?.n).toBe(1);
  });

  it('counts overdue first visits from the agreement date, and satisfaction per town with its counts', async () => {
    const c = await caseIn('resolved');
    const before = (await send('GET', '/api/visits/overdue?limit=500', undefined, officer)).json();
    expect(before.byTown.map((t: { townCode: string }) => t.townCode)).toEqual([town]);
    // The agreement's follow-up date makes the first visit due: yesterday → overdue.
    const version = (await ctx.db.query<{ version: number }>('SELECT version FROM disputes WHERE id = $1', [c.id]))
      .rows[0]?.version;
    const ag = await send(
      'POST',
      `/api/disputes/${c.id}/agreement`,
      {
        version,
        agreedOn: '2023-05-10',
        kind: 'written',
        followUpOn: '2023-05-16',
      },
      officer,
    );
    expect(ag.statusCode).toBe(200);
    const v = (await send('GET', `/api/disputes/${c.id}/visits`, undefined, officer)).json();
    expect(v.firstVisitDue).toBe('2023-05-16');
    expect(v.firstVisitOverdue).toBe(true);
    const after = (await send('GET', '/api/visits/overdue?limit=500', undefined, officer)).json();
    const resolvedRecently = (
      await ctx.db.query<{ resolved_at: string }>(
        `SELECT resolved_at FROM disputes WHERE id = $1 AND resolved_at >= app_now() - interval '180 days'`,
        [c.id],
      )
    ).rows.length;
    if (resolvedRecently) {
      expect(after.items.some((i: { id: number; dueOn: string }) => i.id === c.id && i.dueOn === '2023-05-16')).toBe(
        true,
      );
    }
    const sat = (await send('GET', '/api/visits/satisfaction', undefined, officer)).json();
    const { rows } = await ctx.db.query<{ visits: number; ok: number }>(
      `SELECT count(*)::int AS visits, count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically'))::int AS ok
       FROM follow_up_visits v JOIN disputes d ON d.id = v.dispute_id WHERE d.town_code = $1`,
      [town],
    );
    expect(sat.units).toHaveLength(1);
    expect(sat.units[0].visits).toBe(rows[0]?.visits);
    expect(sat.units[0].rate).toBeCloseTo((rows[0]?.ok ?? 0) / (rows[0]?.visits ?? 1), 3);
    const byRoom = (await send('GET', '/api/visits/satisfaction?by=station', undefined, officer)).json();
    expect(byRoom.units.reduce((s: number, u: { visits: number }) => s + u.visits, 0)).toBe(rows[0]?.visits);
  });

  it('reopens a case from a visit that found the parties not satisfied, linked, and only once', async () => {
    const c = await caseIn('resolved');
    const happy = await send(
      'POST',
      `/api/disputes/${c.id}/visits`,
      {
        visitedOn: '2023-05-17',
        performance: 'honoured',
        satisfaction: 'satisfied',
      },
      officer,
    );
    const version = () =>
      ctx.db
        .query<{ version: number }>('SELECT version FROM disputes WHERE id = $1', [c.id])
        .then((r) => r.rows[0]?.version);
    const notOffered = await send(
      'POST',
      `/api/disputes/${c.id}/reopen`,
      { version: await version(), visitId: happy.json().visitId },
      officer,
    );
    expect(notOffered.statusCode).toBe(409);
    expect(notOffered.json().field).toBe('visitId');
    const unhappy = await send(
      'POST',
      `/api/disputes/${c.id}/visits`,
      {
        visitedOn: '2023-05-17',
        performance: 'broken',
        satisfaction: 'not',
      },
      officer,
    );
    const visit = unhappy.json().visits.find((x: { id: number }) => x.id === unhappy.json().visitId);
    expect(visit.offersReopen).toBe(true);
    const reopened = await send(
      'POST',
      `/api/disputes/${c.id}/reopen`,
      { version: await version(), visitId: visit.id },
      officer,
    );
    expect(reopened.statusCode).toBe(201);
    const newId = reopened.json().id as number;
    expect(reopened.json().reopenedFromId).toBe(c.id);
    const listed = (await send('GET', `/api/disputes/${c.id}/visits`, undefined, officer)).json();
    const linked = listed.visits.find((x: { id: number }) => x.id === visit.id);
    expect(linked.reopenedAsId).toBe(newId);
    expect(linked.offersReopen).toBe(false);
    const twice = await send(
      'POST',
      `/api/disputes/${c.id}/reopen`,
      { version: await version(), visitId: visit.id },
      officer,
    );
    expect(twice.statusCode).toBe(409);
  });

  it('keeps mediator names out of the case exports', async () => {
    const clear = `独孤${name()}`;
    const made = await send(
      'POST',
      '/api/mediators',
      { name: clear, kind: 'peoples_mediator', stationId: room },
      officer,
    );
    const c = await caseIn('resolved');
    await send('PUT', `/api/disputes/${c.id}/mediators`, { mediatorIds: [made.json().id] }, officer);
    const csv = await send('GET', `/api/export/disputes.csv?town=${town}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain(clear);
    const detail = await send('GET', `/api/disputes/${c.id}/mediators`, undefined, officer);
    expect(detail.body).not.toContain(clear);
    expect(detail.body).toContain('独孤某');
  });
});
