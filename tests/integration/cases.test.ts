import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

// The case workflow writes cases: on the PostGIS server a database of its own (openWritableApp).

interface CaseBody {
  id: number;
  caseNo: string;
  status: string;
  version: number;
  stationId: number | null;
  stationName: string | null;
  channel: string | null;
  resolutionLevel: string | null;
  referralKind: string | null;
  townCode: string;
  villageCode: string;
  reopenedFromId: number | null;
  allowedTransitions: string[];
  parties: { role: string; name: string; phone: string | null; idNumber: string | null }[];
  events: {
    kind: string;
    fromStatus: string | null;
    toStatus: string | null;
    actor: string;
    stationId: number | null;
    stationName: string | null;
    toStationId: number | null;
    toStationName: string | null;
    channel: string | null;
    level: string | null;
    linkedDisputeId: number | null;
  }[];
  agreements: { agreedOn: string; kind: string; followUpOn: string | null }[];
  reopenedAs: { id: number }[];
  repeats: { id: number; sameParties: boolean }[];
  repeatIds: number[];
  overdue: boolean;
  deadlineDays: number | null;
  followUpOn: string | null;
  escalation: { score: number; factors: { factor: string; points: number }[] };
}

interface Unit {
  key: string;
  found: number;
  accepted: number;
  acceptanceRate: number | null;
  resolved: number;
  failed: number;
  referred: number;
  closed: number;
  successRate: number | null;
  resolvedAtVillage: number;
  resolvedAtTown: number;
  referrals: Record<string, number>;
}

describe.each(backends)('case workflow on the %s database', (backend) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let db: Db;
  let town: string;
  let village: string;
  let police: number;
  let judicial: number;
  let point: { lon: number; lat: number };

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    app = ctx.app;
    db = ctx.db;
    const { rows } = await db.query<{ town: string; police: number; judicial: number }>(
      `SELECT p.town_code AS town, p.id AS police, j.id AS judicial FROM stations p
       JOIN stations j ON j.town_code = p.town_code AND j.kind = 'judicial_office'
       WHERE p.kind = 'police_station' ORDER BY p.town_code LIMIT 1`,
    );
    const r = rows[0] as { town: string; police: number; judicial: number };
    town = r.town;
    police = Number(r.police);
    judicial = Number(r.judicial);
    const v = await db.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units
       WHERE parent_code = $1 AND level = 'village' ORDER BY code LIMIT 1`,
      [town],
    );
    village = v.rows[0]?.code as string;
    point = { lon: Number(v.rows[0]?.lon), lat: Number(v.rows[0]?.lat) };
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const post = async (url: string, payload: unknown, method: 'POST' | 'PATCH' = 'POST') => {
    const res = await app.inject({ method, url, payload: payload as object });
    return { status: res.statusCode, body: res.json() };
  };
  const create = async (extra: Record<string, unknown> = {}) => {
    const r = await post('/api/disputes', {
      category: 'neighbour',
      riskLevel: 'orange',
      ...point,
      stationId: police,
      summary: '宅基地边界争执',
      ...extra,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as CaseBody;
  };
  const move = async (c: CaseBody, to: string, extra: Record<string, unknown> = {}) => {
    const r = await post(`/api/disputes/${c.id}/transitions`, { version: c.version, to, ...extra });
    return r as { status: number; body: CaseBody & { message: string } };
  };
  const walk = async (path: [string, Record<string, unknown>?][], start?: CaseBody) => {
    let c = start ?? (await create());
    for (const [to, extra] of path) {
      const r = await move(c, to, extra);
      expect(r.status, `${c.status} → ${to}: ${JSON.stringify(r.body)}`).toBe(200);
      c = r.body;
    }
    return c;
  };
  const figures = async () =>
    ((await app.inject({ url: `/api/cases/figures?town=${town}` })).json() as { units: Unit[] }).units.find(
      (u) => u.key === town,
    ) as Unit;

  it('creates a case located by map point, with its village and town, masked parties and a created event', async () => {
    const c = await create({
      parties: [
        { role: 'applicant', name: '王小明', phone: '13812345678', idNumber: '430723199001011234' },
        { role: 'respondent', name: '刘大', phone: '13900001111' },
      ],
    });
    expect(c.status).toBe('reported');
    expect(c.townCode).toBe(town);
    expect(c.villageCode).toBe(village);
    expect(c.caseNo).toMatch(/^LX-\d{4}-\d{6}$/);
    expect(c.allowedTransitions).toEqual(['accepted', 'referred']);
    expect(c.parties[0]).toMatchObject({
      role: 'applicant',
      name: '王某',
      phone: '138****5678',
      idNumber: '430723********1234',
    });
    expect(JSON.stringify(c)).not.toContain('13812345678');
    expect(c.events.map((e) => e.kind)).toEqual(['created']);
    // Clear values never reach the list either; hashes are stored keyed, not the plain SHA-256 of the value.
    const list = await app.inject({ url: `/api/cases?q=${encodeURIComponent(c.caseNo)}` });
    expect(list.json().total).toBe(1);
    expect(list.body).not.toContain('王小明');
    const h = await db.query<{ phone_hash: string }>('SELECT phone_hash FROM dispute_parties WHERE dispute_id = $1', [
      c.id,
    ]);
    expect(h.rows[0]?.phone_hash).toMatch(/^[0-9a-f]{64}$/);
    const { createHash } = await import('node:crypto');
    expect(h.rows[0]?.phone_hash).not.toBe(createHash('sha256').update('13812345678').digest('hex'));
  });

  it('creates a case located by village code', async () => {
    const r = await post('/api/disputes', {
      category: 'medical',
      riskLevel: 'red',
      villageCode: village,
    });
    expect(r.status).toBe(201);
    expect(r.body.villageCode).toBe(village);
    // No station named: the town's police station takes it first.
    expect(r.body.stationId).toBe(police);
  });

  it('rejects bad input with 4xx naming the field', async () => {
    const outside = await post('/api/disputes', {
      category: 'neighbour',
      riskLevel: 'red',
      lon: 10,
      lat: 10,
    });
    expect(outside.status).toBe(400);
    expect(outside.body.field).toBe('lon');
    const noPlace = await post('/api/disputes', { category: 'neighbour', riskLevel: 'red' });
    expect(noPlace.status).toBe(400);
    const badCat = await post('/api/disputes', {
      category: 'gossip',
      riskLevel: 'red',
      villageCode: village,
    });
    expect(badCat.status).toBe(400);
    expect(badCat.body.field).toBe('category');
    // The actor is the signed-in caller: a body naming one is refused (no mass assignment).
    const withActor = await post('/api/disputes', {
      actor: 'x',
      category: 'neighbour',
      riskLevel: 'red',
      villageCode: village,
    });
    expect(withActor.status).toBe(400);
    expect(withActor.body.field).toBe('actor');
    const badStation = await post('/api/disputes', {
      category: 'neighbour',
      riskLevel: 'red',
      villageCode: village,
      stationId: 999999,
    });
    expect(badStation.status).toBe(400);
    expect(badStation.body.field).toBe('stationId');
    expect((await app.inject({ url: '/api/disputes/999999999/case' })).statusCode).toBe(404);
  });

  it('walks every legal path to its end', async () => {
    const resolved = await walk([['accepted'], ['mediating'], ['resolved', { level: 'village' }]]);
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolutionLevel).toBe('village');
    expect(resolved.allowedTransitions).toEqual([]);
    const failedReferred = await walk([
      ['accepted'],
      ['mediating'],
      ['failed'],
      ['referred', { referralKind: 'litigation' }],
    ]);
    expect(failedReferred.status).toBe('referred');
    expect(failedReferred.referralKind).toBe('litigation');
    const unsuitableAtReport = await walk([['referred', { referralKind: 'public_security_case' }]]);
    expect(unsuitableAtReport.status).toBe('referred');
    const unsuitableAtAccept = await walk([['accepted'], ['referred', { referralKind: 'arbitration' }]]);
    expect(unsuitableAtAccept.events.map((e) => `${e.fromStatus ?? ''}>${e.toStatus}`)).toEqual([
      '>reported',
      'reported>accepted',
      'accepted>referred',
    ]);
  });

  it('refuses illegal transitions with 409 listing the allowed ones, and leaves the case unchanged', async () => {
    const c = await create();
    const skip = await move(c, 'resolved', { level: 'town' });
    expect(skip.status).toBe(409);
    expect(skip.body.message).toContain('allowed from reported: accepted, referred');
    const resolved = await walk([['accepted'], ['mediating'], ['resolved', { level: 'town' }]], c);
    const back = await move(resolved, 'mediating');
    expect(back.status).toBe(409);
    expect(back.body.message).toContain('allowed from resolved: none');
    const after = (await app.inject({ url: `/api/disputes/${c.id}/case` })).json() as CaseBody;
    expect(after.version).toBe(resolved.version);
    expect(after.events).toHaveLength(4);
  });

  it('asks for what a transition needs: level to resolve, kind to refer', async () => {
    const c = await walk([['accepted'], ['mediating']]);
    const noLevel = await move(c, 'resolved');
    expect(noLevel.status).toBe(400);
    expect((noLevel.body as unknown as { field: string }).field).toBe('level');
    const f = await walk([['failed']], c);
    const noKind = await move(f, 'referred');
    expect(noKind.status).toBe(400);
  });

  it('records a handoff police → judicial office as an event naming both sides', async () => {
    const c = await walk([['accepted']]);
    const r = await post(`/api/disputes/${c.id}/handoffs`, {
      version: c.version,
      toStationId: judicial,
      note: '需要法律释明',
    });
    expect(r.status).toBe(200);
    const after = r.body as CaseBody;
    expect(after.stationId).toBe(judicial);
    expect(after.channel).toBe('peoples');
    const h = after.events.find((e) => e.kind === 'handoff');
    expect(h).toMatchObject({ stationId: police, toStationId: judicial, actor: 'admin', channel: 'peoples' });
    expect(h?.stationName).toBeTruthy();
    expect(h?.toStationName).toBeTruthy();
    expect(h?.stationName).not.toBe(h?.toStationName);
    const same = await post(`/api/disputes/${c.id}/handoffs`, {
      version: after.version,
      toStationId: judicial,
    });
    expect(same.status).toBe(400);
    const closed = await walk([['mediating'], ['resolved', { level: 'town' }]], after);
    const late = await post(`/api/disputes/${c.id}/handoffs`, {
      version: closed.version,
      toStationId: police,
    });
    expect(late.status).toBe(409);
  });

  it('moves a case to another village by an edit, re-deriving the village and town', async () => {
    const c = await create();
    const { rows } = await db.query<{ code: string; town: string; lon: number; lat: number }>(
      `SELECT code, parent_code AS town, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units
       WHERE level = 'village' AND parent_code <> $1 ORDER BY code LIMIT 1`,
      [town],
    );
    const target = rows[0] as { code: string; town: string; lon: number; lat: number };
    const r = await post(
      `/api/disputes/${c.id}`,
      { version: c.version, lon: Number(target.lon), lat: Number(target.lat) },
      'PATCH',
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ villageCode: target.code, townCode: target.town, version: c.version + 1 });
    const half = await post(`/api/disputes/${c.id}`, { version: r.body.version, lon: 111.7 }, 'PATCH');
    expect(half.status).toBe(400);
    expect(half.body.field).toBe('lat');
    const nothing = await post(`/api/disputes/${c.id}`, { version: r.body.version }, 'PATCH');
    expect(nothing.status).toBe(400);
  });

  it('keeps the history append-only', async () => {
    const c = await create();
    await expect(db.query(`UPDATE case_events SET note = 'changed' WHERE dispute_id = $1`, [c.id])).rejects.toThrow(
      /append-only/,
    );
  });

  it('gives the second of two concurrent edits a 409 and loses nothing', async () => {
    const c = await create();
    const first = await post(`/api/disputes/${c.id}`, { version: c.version, summary: 'A的修改' }, 'PATCH');
    expect(first.status).toBe(200);
    const second = await post(`/api/disputes/${c.id}`, { version: c.version, riskLevel: 'red' }, 'PATCH');
    expect(second.status).toBe(409);
    expect(second.body.field).toBe('version');
    const staleMove = await move(c, 'accepted');
    expect(staleMove.status).toBe(409);
    const after = (await app.inject({ url: `/api/disputes/${c.id}/case` })).json() as CaseBody & { summary: string };
    expect(after.summary).toBe('A的修改');
    expect(after.version).toBe(c.version + 1);
    expect(after.events.map((e) => e.kind)).toEqual(['created', 'edit']);
  });

  it('records the agreement and follow-up of a resolved case only', async () => {
    const open = await create();
    const early = await post(`/api/disputes/${open.id}/agreement`, {
      version: open.version,
      agreedOn: '2023-05-17',
      kind: 'written',
    });
    expect(early.status).toBe(409);
    const c = await walk([['accepted'], ['mediating'], ['resolved', { level: 'village' }]], open);
    const r = await post(`/api/disputes/${c.id}/agreement`, {
      version: c.version,
      agreedOn: '2023-05-17',
      kind: 'judicially_confirmed',
      followUpOn: '2023-06-17',
    });
    expect(r.status).toBe(200);
    expect(r.body.agreements).toEqual([
      expect.objectContaining({ agreedOn: '2023-05-17', kind: 'judicially_confirmed', followUpOn: '2023-06-17' }),
    ]);
    expect(r.body.followUpOn).toBe('2023-06-17');
    const backwards = await post(`/api/disputes/${c.id}/agreement`, {
      version: r.body.version,
      agreedOn: '2023-05-17',
      kind: 'oral',
      followUpOn: '2023-05-01',
    });
    expect(backwards.status).toBe(400);
  });

  it('reopens a flared-up case as a new case linked both ways, with the same parties', async () => {
    const c = await walk(
      [['accepted'], ['mediating'], ['resolved', { level: 'village' }]],
      await create({ parties: [{ role: 'applicant', name: '赵四', idNumber: '43072319800101002X' }] }),
    );
    const open = await create();
    expect((await post(`/api/disputes/${open.id}/reopen`, { version: open.version })).status).toBe(409);
    const r = await post(`/api/disputes/${c.id}/reopen`, { version: c.version, note: '又起冲突' });
    expect(r.status).toBe(201);
    const reopened = r.body as CaseBody;
    expect(reopened.id).not.toBe(c.id);
    expect(reopened.status).toBe('reported');
    expect(reopened.reopenedFromId).toBe(c.id);
    expect(reopened.parties).toEqual([
      expect.objectContaining({ role: 'applicant', name: '赵某', phone: null, idNumber: '430723********002X' }),
    ]);
    expect(reopened.repeats).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: c.id, sameParties: true })]),
    );
    const old = (await app.inject({ url: `/api/disputes/${c.id}/case` })).json() as CaseBody;
    expect(old.reopenedAs.map((x) => x.id)).toEqual([reopened.id]);
    expect(old.events.at(-1)).toMatchObject({ kind: 'reopened', linkedDisputeId: reopened.id });
  });

  it('links repeat disputes by the same party across villages, and raises the escalation score', async () => {
    const { rows } = await db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units
       WHERE level = 'village' AND parent_code <> $1 ORDER BY code LIMIT 1`,
      [town],
    );
    const far = { lon: Number(rows[0]?.lon), lat: Number(rows[0]?.lat) };
    const party = { role: 'respondent', name: '孙五', phone: '+86 137 0000 2222' };
    const a = await create({ category: 'labour_wages', parties: [party] });
    const before = a.escalation.score;
    const b = await create({ category: 'contract_debt', ...far, parties: [{ ...party, phone: '13700002222' }] });
    expect(b.repeats).toEqual(expect.arrayContaining([expect.objectContaining({ id: a.id, sameParties: true })]));
    const a2 = (await app.inject({ url: `/api/disputes/${a.id}/case` })).json() as CaseBody;
    expect(a2.repeatIds).toContain(b.id);
    expect(a2.escalation.score).toBeGreaterThan(before);
    expect(a2.escalation.factors.find((f) => f.factor === 'repeat')?.points).toBeGreaterThan(0);
  });

  it('links repeat disputes at the same place and category within the window', async () => {
    const a = await create({ category: 'property_management', lon: point.lon + 0.0005, lat: point.lat });
    const b = await create({ category: 'property_management', lon: point.lon + 0.0007, lat: point.lat });
    expect(b.repeatIds).toContain(a.id);
    const other = await create({ category: 'traffic_accident', lon: point.lon + 0.0006, lat: point.lat });
    expect(other.repeatIds).not.toContain(a.id);
  });

  it('turns a screening risk item into a case, keeping the link', async () => {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM screening_items ORDER BY id LIMIT 1');
    const item = Number(rows[0]?.id);
    const c = await create({ screeningItemId: item });
    expect((c as unknown as { screeningItemId: number }).screeningItemId).toBe(item);
    const bad = await post('/api/disputes', {
      category: 'other',
      riskLevel: 'blue',
      villageCode: village,
      screeningItemId: 999999999,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('screeningItemId');
  });

  it('surfaces overdue cases by per-state, per-category deadlines from the settings', async () => {
    const c = await create({ category: 'medical' });
    expect(c.deadlineDays).toBe(1);
    expect(c.overdue).toBe(false);
    await db.query(`UPDATE disputes SET state_entered_at = app_now() - interval '2 days' WHERE id = $1`, [c.id]);
    const after = (await app.inject({ url: `/api/disputes/${c.id}/case` })).json() as CaseBody;
    expect(after.overdue).toBe(true);
    const list = (await app.inject({ url: `/api/cases?town=${town}&overdue=true&q=${after.caseNo}` })).json();
    expect(list.items.map((i: CaseBody) => i.id)).toEqual([c.id]);
    await db.query(`UPDATE case_deadlines SET days = 5 WHERE status = 'reported' AND category = 'medical'`);
    const relaxed = (await app.inject({ url: `/api/disputes/${c.id}/case` })).json() as CaseBody;
    expect(relaxed.overdue).toBe(false);
    await db.query(`UPDATE case_deadlines SET days = 1 WHERE status = 'reported' AND category = 'medical'`);
  });

  it('ranks open cases by escalation score, filters and sorts the register', async () => {
    const hot = await create({ category: 'marriage_family', riskLevel: 'red', threat: true, injury: true });
    const res = await app.inject({ url: `/api/cases?town=${town}&status=reported,accepted,mediating&sort=escalation` });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { total: number; items: (CaseBody & { escalation: { score: number } })[] };
    expect(page.items[0]?.id).toBe(hot.id);
    const scores = page.items.map((i) => i.escalation.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    const byStation = (await app.inject({ url: `/api/cases?station=${police}&sort=-reportedAt&limit=500` })).json();
    expect(byStation.items.every((i: CaseBody) => i.stationId === police)).toBe(true);
    expect((await app.inject({ url: '/api/cases?status=bogus' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/cases?sort=escalation' })).json().field).toBe('sort');
  });

  it('computes the figures per town and station with their counts, and they follow the workflow', async () => {
    const before = await figures();
    expect(before.acceptanceRate).toBeCloseTo(before.accepted / before.found, 3);
    expect(before.successRate).toBeCloseTo(before.resolved / before.closed, 3);
    await walk([['accepted'], ['mediating'], ['resolved', { level: 'town' }]]);
    await walk([['accepted'], ['mediating'], ['failed'], ['referred', { referralKind: 'criminal_case' }]]);
    await create();
    const after = await figures();
    expect(after.found - before.found).toBe(3);
    expect(after.accepted - before.accepted).toBe(2);
    expect(after.resolved - before.resolved).toBe(1);
    expect(after.resolvedAtTown - before.resolvedAtTown).toBe(1);
    expect(after.referred - before.referred).toBe(1);
    expect((after.referrals.criminal_case ?? 0) - (before.referrals.criminal_case ?? 0)).toBe(1);
    const stations = (await app.inject({ url: `/api/cases/figures?by=station&town=${town}` })).json();
    const ps = stations.units.find((u: Unit) => u.key === String(police)) as Unit;
    expect(ps.found).toBeGreaterThan(0);
    expect((await app.inject({ url: '/api/cases/figures?by=village' })).statusCode).toBe(400);
  });
});
