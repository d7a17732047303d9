import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createAccount, createSession } from '../../server/auth/accounts.js';
import { loadConfig } from '../../server/config.js';
import type { Db } from '../../server/db/index.js';
import { openPostgres } from '../../server/db/postgres.js';
import { InvalidInput } from '../../server/services/errors.js';
import { type NotificationEvent, publish, publishAll } from '../../server/services/notifications/publish.js';
import { backends, openWritableApp, type TestContext } from './harness.js';
import { openSse } from './sse-client.js';

/**
 * Information sharing (issue 16): who is told of what (the rule table × scope), the inbox, and delivery to open
 * pages over Server-Sent Events (a real HTTP server, a real streaming client), resumed from Last-Event-ID; on the
 * PostGIS server also across two app instances on one database (LISTEN/NOTIFY).
 */
describe.each(backends)('notifications on %s', (backend) => {
  let ctx: TestContext;
  let town: string;
  let village: string;
  let police: number;
  const ids: Record<string, number> = {};
  const cookies: Record<string, string> = {};
  const config = loadConfig({
    DATA_DIR: '.data/test',
    LOG_LEVEL: 'silent',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    NOTIFY_HEARTBEAT_MS: '100',
  });

  const recipientsOf = async (eventId: number | null) =>
    (
      await ctx.db.query<{ username: string }>(
        `SELECT a.username FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE n.event_id = $1
         ORDER BY a.username`,
        [eventId],
      )
    ).rows.map((r) => r.username);

  const caseEvent = (extra: Partial<NotificationEvent> = {}): NotificationEvent => ({
    kind: 'case.created',
    level: 'town',
    townCode: town,
    stationId: police,
    villageCode: village,
    title: 'case.created',
    params: { caseNo: 'T-1', category: 'neighbour', riskLevel: 'orange' },
    ...extra,
  });
  const pub = (e: NotificationEvent) => ctx.db.transaction((tx) => publish(tx, e));

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    // The demo's station staff account works at 澧南镇's police station; the town's room, judicial office, officer
    // and a screener of one of its villages are made here.
    const { rows } = await ctx.db.query<{ station_id: number; town_code: string }>(
      `SELECT a.station_id, s.town_code FROM accounts a JOIN stations s ON s.id = a.station_id WHERE a.username = 'station.ln'`,
    );
    police = Number(rows[0]?.station_id);
    town = rows[0]?.town_code as string;
    const station = async (kind: string) =>
      Number(
        (
          await ctx.db.query<{ id: number }>('SELECT id FROM stations WHERE town_code = $1 AND kind = $2 ORDER BY id', [
            town,
            kind,
          ])
        ).rows[0]?.id,
      );
    village = (
      await ctx.db.query<{ code: string }>(
        `SELECT code FROM admin_units WHERE parent_code = $1 AND level = 'village' ORDER BY code LIMIT 1`,
        [town],
      )
    ).rows[0]?.code as string;
    const made: [string, Parameters<typeof createAccount>[1]][] = [
      [
        'room.ln',
        {
          username: 'room.ln',
          displayName: '联调室',
          role: 'station_staff',
          stationId: await station('joint_mediation_room'),
          password: 'x'.repeat(12),
        },
      ],
      [
        'office.ln',
        {
          username: 'office.ln',
          displayName: '司法所',
          role: 'station_staff',
          stationId: await station('judicial_office'),
          password: 'x'.repeat(12),
        },
      ],
      [
        'officer.ln',
        {
          username: 'officer.ln',
          displayName: '镇干部',
          role: 'town_officer',
          townCode: town,
          password: 'x'.repeat(12),
        },
      ],
      [
        'screener.ln',
        {
          username: 'screener.ln',
          displayName: '网格员',
          role: 'screener',
          villages: [village],
          password: 'x'.repeat(12),
        },
      ],
    ];
    for (const [name, a] of made) ids[name] = await createAccount(ctx.db, a);
    for (const name of ['admin', 'leader', 'town.wjc', 'station.ln', 'screener.wjc']) {
      ids[name] = Number(
        (await ctx.db.query<{ id: number }>('SELECT id FROM accounts WHERE username = $1', [name])).rows[0]?.id,
      );
    }
    for (const [name, id] of Object.entries(ids)) {
      cookies[name] = `ljm_session=${await createSession(ctx.db, id, config.auth, { ip: 'test' })}`;
    }
  });
  afterAll(async () => ctx?.close());

  it('tells the town room, judicial office, handling station and town officer of a town-level case, and no one else', async () => {
    const { eventId, recipients } = await pub(caseEvent());
    expect(await recipientsOf(eventId)).toEqual(['office.ln', 'officer.ln', 'room.ln', 'station.ln']);
    expect(recipients).toBe(4);
  });

  it('publishes many events at once to exactly whom publishing them one by one tells, once per dedupe key', async () => {
    const run = `${backend}-${Date.now()}`;
    const variants: Partial<NotificationEvent>[] = [
      {},
      { level: 'county' },
      { level: 'county', actorId: ids['station.ln'] as number },
      { villageCode: null, stationId: null },
      { kind: 'warning.raised', title: 'warning.raised', params: { rule: 'escalation' } },
      { kind: 'warning.raised', title: 'warning.raised', level: 'county', stationId: null, params: { rule: 'x' } },
    ];
    const single: string[][] = [];
    for (const [i, v] of variants.entries()) {
      single.push(await recipientsOf((await pub(caseEvent({ ...v, dedupeKey: `one:${run}:${i}` }))).eventId));
    }
    const many = variants.map((v, i) => caseEvent({ ...v, dedupeKey: `all:${run}:${i}` }));
    // The same key twice in one call, and a key published before, are one event each.
    const created = await ctx.db.transaction((tx) =>
      publishAll(tx, [...many, caseEvent({ dedupeKey: `all:${run}:0` }), caseEvent({ dedupeKey: `one:${run}:0` })]),
    );
    expect(created).toBe(variants.length);
    const batch: string[][] = [];
    for (const i of variants.keys()) {
      const { rows } = await ctx.db.query<{ id: number }>('SELECT id FROM notification_events WHERE dedupe_key = $1', [
        `all:${run}:${i}`,
      ]);
      expect(rows).toHaveLength(1);
      batch.push(await recipientsOf(Number(rows[0]?.id)));
    }
    expect(batch).toEqual(single);
    expect(single.flat().length).toBeGreaterThan(variants.length);
    // The checks of `publish` hold for every event of the batch: nothing of a refused batch is stored.
    await expect(
      ctx.db.transaction((tx) =>
        publishAll(tx, [caseEvent({ dedupeKey: `bad:${run}` }), caseEvent({ kind: 'case.nothing' })]),
      ),
    ).rejects.toThrow(InvalidInput);
    await expect(
      ctx.db.transaction((tx) =>
        publishAll(tx, [
          caseEvent({ dedupeKey: `bad:${run}` }),
          caseEvent({ townCode: '430723999', villageCode: null }),
        ]),
      ),
    ).rejects.toThrow(/no town/);
    expect(
      (await ctx.db.query('SELECT 1 FROM notification_events WHERE dedupe_key = $1', [`bad:${run}`])).rows,
    ).toEqual([]);
  });

  it('adds the county roles for a county-level event, and never tells the actor of their own action', async () => {
    const { eventId } = await pub(caseEvent({ level: 'county', actorId: ids['station.ln'] as number }));
    expect(await recipientsOf(eventId)).toEqual(['admin', 'leader', 'office.ln', 'officer.ln', 'room.ln']);
  });

  it('keeps to scope whatever the rules say: an account named directly outside the town is not told', async () => {
    const { eventId } = await pub({
      kind: 'task.accepted',
      level: 'town',
      townCode: town,
      title: 'task.accepted',
      addressed: [ids['town.wjc'] as number, ids['officer.ln'] as number, ids['screener.wjc'] as number],
    });
    expect(await recipientsOf(eventId)).toEqual(['officer.ln']);
    // Screeners hear of their own villages only.
    const task = await pub({
      kind: 'task.assigned',
      level: 'town',
      townCode: town,
      villageCode: village,
      title: 'task.assigned',
      addressed: [ids['screener.ln'] as number, ids['screener.wjc'] as number],
    });
    expect(await recipientsOf(task.eventId)).toEqual(['screener.ln']);
  });

  it('follows the rule table as the county administrator edits it, and refuses unknown kinds and audiences', async () => {
    const rule = { kind: 'case.created', role: 'station_staff', audience: 'town_judicial_office' };
    const off = await ctx.app.inject({
      method: 'PUT',
      url: '/api/notification-rules',
      payload: { ...rule, enabled: false },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().rules).not.toContainEqual(rule);
    const { eventId } = await pub(caseEvent());
    expect(await recipientsOf(eventId)).toEqual(['officer.ln', 'room.ln', 'station.ln']);
    const on = await ctx.app.inject({
      method: 'PUT',
      url: '/api/notification-rules',
      payload: { ...rule, enabled: true },
    });
    expect(on.json().rules).toContainEqual(rule);
    expect(await recipientsOf((await pub(caseEvent())).eventId)).toContain('office.ln');

    const bad = async (payload: object, field: string) => {
      const r = await ctx.app.inject({ method: 'PUT', url: '/api/notification-rules', payload });
      expect([r.statusCode, r.json().field]).toEqual([400, field]);
    };
    await bad({ ...rule, kind: 'case.exploded', enabled: true }, 'kind');
    await bad({ ...rule, audience: 'county', enabled: true }, 'audience');
    await bad({ ...rule, audience: '__proto__', enabled: true }, 'audience');
    await bad({ ...rule, role: 'export_client', enabled: true }, 'role');
    await bad({ ...rule, enabled: true, extra: 1 }, 'extra');
    const officer = await ctx.app.inject({
      method: 'PUT',
      url: '/api/notification-rules',
      payload: { ...rule, enabled: false },
      headers: { cookie: cookies['officer.ln'] as string },
    });
    expect(officer.statusCode).toBe(403);
    const table = (await ctx.app.inject({ url: '/api/notification-rules' })).json();
    expect(table.rules).toContainEqual(rule);
  });

  it('publishes a dedupe key once, and writes nothing for an unknown kind or a village outside the town', async () => {
    const key = `test-dedupe-${backend}`;
    const first = await pub(caseEvent({ dedupeKey: key }));
    const again = await pub(caseEvent({ dedupeKey: key }));
    expect(first.eventId).not.toBeNull();
    expect(again).toEqual({ eventId: null, recipients: 0 });
    const count = async () =>
      (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification_events')).rows[0]?.n;
    const before = await count();
    const fails = async (e: NotificationEvent, field: string) => {
      const err = await pub(e).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(InvalidInput);
      expect((err as InvalidInput).field).toBe(field);
    };
    await fails(caseEvent({ kind: 'case.unheard_of' }), 'kind');
    await fails(caseEvent({ kind: 'DROP TABLE' }), 'kind');
    await fails(caseEvent({ villageCode: '430723999999' }), 'villageCode');
    await fails(caseEvent({ townCode: '430723999', villageCode: null }), 'townCode');
    await fails(caseEvent({ params: { ['__proto__']: 'x' } as Record<string, string> }), 'params');
    await fails(caseEvent({ params: { note: 'x'.repeat(201) } }), 'params.note');
    // None of the refused events left a row.
    expect(await count()).toBe(before);
  });

  it("lists a reader's own notifications newest first, filters by kind, marks read, and hides what left their scope", async () => {
    const cookie = cookies['officer.ln'] as string;
    const a = await pub(caseEvent({ kind: 'case.handoff', title: 'case.handoff' }));
    const b = await pub(caseEvent({ kind: 'screening.high_risk', title: 'screening.high_risk', stationId: null }));
    const list = (await ctx.app.inject({ url: '/api/notifications?limit=5', headers: { cookie } })).json();
    expect(list.items[0]).toMatchObject({
      kind: 'screening.high_risk',
      townCode: town,
      villageCode: village,
      read: false,
    });
    expect(list.items[1]).toMatchObject({ kind: 'case.handoff', stationId: police });
    expect(list.items[0].point).toHaveLength(2);
    expect(list.items[0].id).toBeGreaterThan(list.items[1].id);
    const handoffs = (
      await ctx.app.inject({ url: '/api/notifications?kind=case.handoff', headers: { cookie } })
    ).json();
    expect(new Set(handoffs.items.map((i: { kind: string }) => i.kind))).toEqual(new Set(['case.handoff']));

    const before = list.unread as number;
    const mark = await ctx.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      payload: { ids: [list.items[0].id] },
      headers: { cookie },
    });
    expect(mark.json()).toMatchObject({ marked: 1, unread: before - 1 });
    // Someone else's notification is not the reader's to mark.
    const theirs = (
      await ctx.app.inject({ url: '/api/notifications?limit=1', headers: { cookie: cookies['room.ln'] as string } })
    ).json();
    const foreign = await ctx.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      payload: { ids: [theirs.items[0].id] },
      headers: { cookie },
    });
    expect(foreign.json().marked).toBe(0);
    // Mark all read up to what the page showed: one arriving meanwhile stays unread.
    const shown = list.items[0].id as number;
    const late = await pub(caseEvent());
    const all = await ctx.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      payload: { all: true, upTo: shown },
      headers: { cookie },
    });
    expect(all.json().unread).toBe(1);
    expect(late.eventId).not.toBeNull();
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      payload: { ids: [] },
      headers: { cookie },
    });
    expect(bad.statusCode).toBe(400);

    // An account whose town changed no longer lists the old town's notifications.
    await ctx.db.query('INSERT INTO notifications (event_id, account_id) VALUES ($1, $2)', [
      a.eventId,
      ids['town.wjc'],
    ]);
    await ctx.db.query('INSERT INTO notifications (event_id, account_id) VALUES ($1, $2)', [
      b.eventId,
      ids['town.wjc'],
    ]);
    const wjc = (
      await ctx.app.inject({ url: '/api/notifications?limit=200', headers: { cookie: cookies['town.wjc'] as string } })
    ).json();
    expect(wjc.items.filter((i: { townCode: string }) => i.townCode === town)).toEqual([]);
    const wjcUnread = (
      await ctx.app.inject({ url: '/api/notifications/unread', headers: { cookie: cookies['town.wjc'] as string } })
    ).json();
    expect(wjcUnread.unread).toBe(wjc.items.filter((i: { read: boolean }) => !i.read).length);
  });

  describe('Server-Sent Events', () => {
    let app: FastifyInstance;
    let base: string;
    beforeAll(async () => {
      app = await buildApp({ db: ctx.db, config });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.server.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    });
    afterAll(async () => app?.close());

    it('delivers to an open page as it is published, with ids and heartbeats, and resumes from Last-Event-ID', async () => {
      const url = `${base}/api/notifications/stream`;
      const page = await openSse(url, cookies['room.ln'] as string);
      expect(page.status).toBe(200);
      expect(page.contentType).toMatch(/^text\/event-stream/);
      const other = await openSse(url, cookies['town.wjc'] as string);
      await page.waitComment(/connected/);
      await other.waitComment(/connected/);
      const first = await pub(caseEvent({ params: { caseNo: 'SSE-1' } }));
      const [frame] = await page.waitFrames(1);
      expect(frame?.event).toBe('notification');
      const item = JSON.parse(frame?.data as string);
      expect(item).toMatchObject({ kind: 'case.created', eventId: first.eventId, params: { caseNo: 'SSE-1' } });
      expect(Number(frame?.id)).toBe(item.id);
      await page.waitComment(/heartbeat/);
      page.close();
      await expect.poll(() => app.notificationHub.size).toBe(1);

      // While the page is away, two more; the reconnect gets exactly those, in order.
      await pub(caseEvent({ params: { caseNo: 'SSE-2' } }));
      await pub(caseEvent({ params: { caseNo: 'SSE-3' } }));
      const back = await openSse(url, cookies['room.ln'] as string, frame?.id as string);
      const missed = await back.waitFrames(2);
      expect(missed.map((f) => JSON.parse(f.data).params.caseNo)).toEqual(['SSE-2', 'SSE-3']);
      await pub(caseEvent({ params: { caseNo: 'SSE-4' } }));
      const [, , live] = await back.waitFrames(3);
      expect(JSON.parse(live?.data as string).params.caseNo).toBe('SSE-4');
      expect(new Set(back.frames.map((f) => f.id)).size).toBe(back.frames.length);
      // The officer of another town was told nothing.
      expect(other.frames).toEqual([]);
      back.close();
      other.close();
      await expect.poll(() => app.notificationHub.size).toBe(0);
    });

    it('refuses a stream to nobody signed in, and to an export token', async () => {
      const anon = await fetch(`${base}/api/notifications/stream`);
      expect(anon.status).toBe(401);
      const junk = await fetch(`${base}/api/notifications/stream?lastEventId=abc`, {
        headers: { cookie: cookies['room.ln'] as string },
      });
      expect(junk.status).toBe(400);
    });

    // Only the server backend can hold two app instances on one database (the embedded one lives inside
    // its process), so this test exists in the server phase only rather than showing as skipped.
    if (backend === 'server')
      it('delivers through a second app instance on the same database', async () => {
        const dbName = (await ctx.db.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db as string;
        const url = new URL(inject('serverUrl') as string);
        url.pathname = `/${dbName}`;
        const db2: Db = openPostgres({ connectionString: url.toString(), poolSize: 2, statementTimeoutMs: 60_000 });
        const app2 = await buildApp({ db: db2, config });
        try {
          await app2.listen({ host: '127.0.0.1', port: 0 });
          const addr = app2.server.address();
          const port = typeof addr === 'object' && addr ? addr.port : 0;
          const onB = await openSse(
            `http://127.0.0.1:${port}/api/notifications/stream`,
            cookies['officer.ln'] as string,
          );
          const onA = await openSse(`${base}/api/notifications/stream`, cookies['officer.ln'] as string);
          await onB.waitComment(/connected/);
          await onA.waitComment(/connected/);
          // Written through the first instance's pool: both instances' pages receive it.
          const { eventId } = await pub(caseEvent({ params: { caseNo: 'TWO' } }));
          const [b] = await onB.waitFrames(1);
          const [a] = await onA.waitFrames(1);
          expect(JSON.parse(b?.data as string).eventId).toBe(eventId);
          expect(a?.id).toBe(b?.id);
          onA.close();
          onB.close();
        } finally {
          await app2.close();
          await db2.close();
        }
      });
  });
});
