import { fileURLToPath } from 'node:url';
import { VectorTile } from '@mapbox/vector-tile';
import type { FastifyInstance } from 'fastify';
import { PbfReader } from 'pbf';
import pg from 'pg';
import Postgrator from 'postgrator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createApiToken } from '../../server/auth/tokens.js';
import { loadConfig } from '../../server/config.js';
import { openEmbedded } from '../../server/db/embedded.js';
import type { Db } from '../../server/db/index.js';
import { personalDataKeyring } from '../../server/db/keys.js';
import { migrate } from '../../server/db/migrate.js';
import { openPostgres } from '../../server/db/postgres.js';
import { TILE_EXTENT } from '../../server/db/tiles.js';
import { DEMO_PARTIES_SINCE, demoParties } from '../../server/domain/personal-data-demo.js';
import { partiesInClear } from '../../server/services/personal-data/index.js';
import { backends, demoUsers, openWritableApp, type TestContext } from './harness.js';

/** Parties' personal data (issue 8): encrypted at rest, masked in answers, revealed one at a time and audited. */

const WJC = '430723108'; // 王家厂镇: the demo town officer's town

interface Party {
  id: number;
  role: string;
  name: string;
  phone: string | null;
  idNumber: string | null;
}

describe.each(backends)('personal data on the %s database', (backend) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let db: Db;
  // A case of ours in 王家厂镇 and one in another town, with unique clear values.
  const tag = `${Date.now() % 100_000_000}`.padStart(8, '0');
  const clear = {
    name: '欧阳测试',
    phone: `139${tag}`,
    idNumber: `430723${'19900101'}${tag.slice(-3)}X`,
  };
  let inTown: { id: number; parties: Party[] };
  let elsewhere: { id: number; parties: Party[] };
  let exportToken: string;

  const as = async (username: string) => ({ cookie: await ctx.cookieFor(username) });

  const create = async (villageCode: string, name: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/disputes',
      payload: {
        category: 'neighbour',
        riskLevel: 'yellow',
        villageCode,
        parties: [
          { role: 'applicant', name, phone: clear.phone, idNumber: clear.idNumber },
          { role: 'respondent', name: '李四' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; parties: Party[] };
  };

  const reveal = (disputeId: number, partyId: number, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/disputes/${disputeId}/parties/${partyId}/reveal`, headers });

  const revealAudits = async (partyId: number) =>
    (
      await db.query<{ row: string }>(
        `SELECT row_to_json(a)::text AS row FROM audit_log a
         WHERE action = 'reveal-personal-data' AND target_id = $1 ORDER BY id`,
        [String(partyId)],
      )
    ).rows.map((r) => r.row);

  beforeAll(async () => {
    ctx = await openWritableApp(backend); // creates cases: a database of its own on the server
    app = ctx.app;
    db = ctx.db;
    const village = async (town: string, not = false) =>
      (
        await db.query<{ code: string }>(
          `SELECT code FROM admin_units WHERE level = 'village' AND (parent_code = $1) <> $2 ORDER BY code LIMIT 1`,
          [town, not],
        )
      ).rows[0]?.code as string;
    inTown = await create(await village(WJC), clear.name);
    // Another town, not 澧南镇 either (the demo station staff's town).
    const other = (
      await db.query<{ code: string }>(
        `SELECT v.code FROM admin_units v JOIN admin_units t ON t.code = v.parent_code
         WHERE v.level = 'village' AND t.code <> $1 AND t.name <> '澧南镇' ORDER BY v.code LIMIT 1`,
        [WJC],
      )
    ).rows[0]?.code as string;
    elsewhere = await create(other, '张三丰');
    exportToken = (await createApiToken(db, { name: `pii test ${tag}`, role: 'export_client' })).token;
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('keeps only ciphertexts in dispute_parties (no clear column, no clear value)', async () => {
    const { rows: cols } = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'dispute_parties'`,
    );
    const names = cols.map((c) => c.column_name);
    expect(names).toEqual(expect.arrayContaining(['name_enc', 'phone_enc', 'id_number_enc', 'phone_hash']));
    expect(names).not.toContain('name');
    expect(names).not.toContain('phone');
    expect(names).not.toContain('id_number');
    const { rows } = await db.query<{ row: string; name_enc: string }>(
      `SELECT row_to_json(p)::text AS row, name_enc FROM dispute_parties p WHERE dispute_id = $1`,
      [inTown.id],
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.name_enc).toMatch(/^pd1:[0-9a-f]{8}:/);
      expect(r.row).not.toContain(clear.name);
      expect(r.row).not.toContain('欧阳');
      expect(r.row).not.toContain(clear.phone);
      expect(r.row).not.toContain(clear.idNumber);
      expect(r.row).not.toContain('李四');
    }
    // Writes of clear values are refused by the table itself.
    await expect(
      db.query(`UPDATE dispute_parties SET name_enc = '王小明' WHERE dispute_id = $1`, [inTown.id]),
    ).rejects.toThrow();
    const pending = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dispute_parties_clear_pending');
    expect(pending.rows[0]?.n).toBe(0);
  });

  it('seeds the demo parties encrypted (two per case)', async () => {
    const { rows } = await db.query<{ n: number; enc: number; phones: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE name_enc ~ '^pd1:' AND id_number_enc ~ '^pd1:')::int AS enc,
              count(DISTINCT phone_hash)::int AS phones
       FROM dispute_parties p WHERE dispute_id IN (
         SELECT id FROM disputes WHERE created_by IS NULL AND reported_at >= $1 ORDER BY id LIMIT 100)`,
      [DEMO_PARTIES_SINCE],
    );
    expect(rows[0]).toEqual({ n: 200, enc: 200, phones: 200 });
  });

  it.each([
    ['admin', demoUsers.admin],
    ['leader', demoUsers.leader],
    ['town officer', demoUsers.town_officer],
  ])('masks the parties in the case detail and its history for the %s', async (_role, username) => {
    const headers = await as(username);
    for (const url of [`/api/disputes/${inTown.id}/case`, `/api/disputes/${inTown.id}/events`]) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain(clear.name);
      expect(res.body).not.toContain(clear.phone);
      expect(res.body).not.toContain(clear.idNumber);
      expect(res.body).not.toContain('李四');
    }
    const c = (await app.inject({ url: `/api/disputes/${inTown.id}/case`, headers })).json() as { parties: Party[] };
    expect(c.parties).toEqual([
      expect.objectContaining({
        role: 'applicant',
        name: '欧阳某',
        phone: `139****${tag.slice(-4)}`,
        idNumber: `430723********${tag.slice(-3)}X`,
      }),
      expect.objectContaining({ role: 'respondent', name: '李某', phone: null, idNumber: null }),
    ]);
  });

  it('reveals one party to the roles allowed, in scope, with exactly one audit row without the values', async () => {
    const party = inTown.parties[0] as Party;
    for (const username of [demoUsers.admin, demoUsers.town_officer]) {
      const before = await revealAudits(party.id);
      const res = await reveal(inTown.id, party.id, await as(username));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({ id: party.id, role: 'applicant', ...clear });
      const after = await revealAudits(party.id);
      expect(after).toHaveLength(before.length + 1);
      const row = JSON.parse(after.at(-1) as string);
      expect(row).toMatchObject({
        actor_name: username,
        action: 'reveal-personal-data',
        target_type: 'party',
        target_id: String(party.id),
        outcome: 'ok',
      });
      expect(row.detail).toMatchObject({ disputeId: inTown.id, partyId: party.id });
      expect(row.ip).toBeTruthy();
      expect(row.at).toBeTruthy();
      for (const value of Object.values(clear)) expect(after.at(-1)).not.toContain(value);
      // Nor anywhere else in the audit trail.
      const leak = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log a WHERE row_to_json(a)::text LIKE '%' || $1 || '%'`,
        [clear.phone],
      );
      expect(leak.rows[0]?.n).toBe(0);
    }
  });

  it.each([
    ['the leader (masked only)', demoUsers.leader, 403],
    ['a field screener', demoUsers.screener, 403],
    ['station staff of another town', demoUsers.station_staff, 404],
  ])('refuses %s', async (_who, username, status) => {
    const party = inTown.parties[0] as Party;
    const before = await revealAudits(party.id);
    const res = await reveal(inTown.id, party.id, await as(username));
    expect(res.statusCode, res.body).toBe(status);
    expect(res.body).not.toContain(clear.phone);
    // Refusals are audited as such (by the access plugin), never as a reveal that happened.
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'reveal-personal-data' AND outcome = 'ok'
       AND target_id = $1`,
      [String(party.id)],
    );
    expect(rows[0]?.n).toBe(before.length);
  });

  it('refuses an export token, a case out of the town officer’s scope and a party of another case', async () => {
    const p = inTown.parties[0] as Party;
    const q = elsewhere.parties[0] as Party;
    expect((await reveal(inTown.id, p.id, { authorization: `Bearer ${exportToken}` })).statusCode).toBe(403);
    expect((await reveal(elsewhere.id, q.id, await as(demoUsers.town_officer))).statusCode).toBe(404);
    const mixed = await reveal(inTown.id, q.id);
    expect(mixed.statusCode).toBe(404);
    expect(mixed.body).not.toContain('张三丰');
    expect((await reveal(inTown.id, p.id, { cookie: '' })).statusCode).toBe(401);
  });

  it('copies the parties to a reopened case, still encrypted and masked', async () => {
    const c = await create(
      (
        await db.query<{ code: string }>(
          `SELECT code FROM admin_units WHERE parent_code = $1 AND level = 'village' ORDER BY code LIMIT 1`,
          [WJC],
        )
      ).rows[0]?.code as string,
      '司马迁',
    );
    for (const to of ['accepted', 'mediating']) {
      const cur = (await app.inject({ url: `/api/disputes/${c.id}/case` })).json() as { version: number };
      const r = await app.inject({
        method: 'POST',
        url: `/api/disputes/${c.id}/transitions`,
        payload: { to, version: cur.version },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const cur = (await app.inject({ url: `/api/disputes/${c.id}/case` })).json() as { version: number };
    const resolved = await app.inject({
      method: 'POST',
      url: `/api/disputes/${c.id}/transitions`,
      payload: { to: 'resolved', version: cur.version, level: 'village', channel: 'joint' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const v = (resolved.json() as { version: number }).version;
    const re = await app.inject({
      method: 'POST',
      url: `/api/disputes/${c.id}/reopen`,
      payload: { version: v },
    });
    expect(re.statusCode, re.body).toBe(201);
    const reopened = re.json() as { id: number; parties: Party[] };
    expect(reopened.parties.map((p) => p.name)).toEqual(['司马某', '李某']);
    const shown = await reveal(reopened.id, (reopened.parties[0] as Party).id);
    expect(shown.json()).toMatchObject({ name: '司马迁', phone: clear.phone });
  });

  it('keeps audit_log append-only', async () => {
    const p = inTown.parties[0] as Party;
    expect((await reveal(inTown.id, p.id)).statusCode).toBe(200);
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM audit_log WHERE action = 'reveal-personal-data' AND target_id = $1 ORDER BY id DESC LIMIT 1`,
      [String(p.id)],
    );
    const id = rows[0]?.id;
    expect(id).toBeDefined();
    await expect(db.query(`UPDATE audit_log SET actor_name = 'x' WHERE id = $1`, [id])).rejects.toThrow();
    await expect(db.query(`DELETE FROM audit_log WHERE id = $1`, [id])).rejects.toThrow();
    const still = await db.query<{ actor_name: string }>('SELECT actor_name FROM audit_log WHERE id = $1', [id]);
    expect(still.rows[0]?.actor_name).toBe(demoUsers.admin);
  });

  it('puts no personal data of the demo parties in any export, OGC answer or tile', async () => {
    // The seeded cases with parties, in seed order (cases created by tests come after them).
    const { rows } = await db.query<{ case_no: string }>(
      `SELECT case_no FROM disputes WHERE created_by IS NULL AND reported_at >= $1 ORDER BY id`,
      [DEMO_PARTIES_SINCE],
    );
    expect(rows.length).toBeGreaterThan(1000);
    const parties = demoParties(rows.map((r) => r.case_no)).map((p) => p.party);
    // The seed stored these very parties (checked through a reveal of the first one).
    const first = await db.query<{ id: number; dispute_id: number }>(
      `SELECT p.id, p.dispute_id FROM dispute_parties p JOIN disputes d ON d.id = p.dispute_id
       WHERE d.case_no = $1 ORDER BY p.id LIMIT 1`,
      [rows[0]?.case_no],
    );
    const f = first.rows[0] as { id: number; dispute_id: number };
    expect((await reveal(Number(f.dispute_id), Number(f.id))).json()).toMatchObject({
      name: parties[0]?.name,
      phone: parties[0]?.phone,
      idNumber: parties[0]?.idNumber,
    });
    const phones = new Set(parties.map((p) => p.phone));
    const ids = new Set(parties.map((p) => p.idNumber));
    const names = [...new Set(parties.map((p) => p.name).filter((n) => [...n].length >= 3))].slice(0, 400);
    const urls = [
      ...['disputes', 'screenings', 'stations', 'admin-units'].flatMap((d) =>
        ['geojson', 'ndjson', 'csv'].map((f) => `/api/export/${d}.${f}`),
      ),
      '/ogc/collections/disputes/items?limit=1000',
      '/ogc/collections/screenings/items?limit=1000',
      `/ogc/collections/disputes/items/${f.dispute_id}`,
      '/tiles/disputes/10/829/423.mvt',
      '/tiles/disputes/8/207/105.mvt',
    ];
    for (const url of urls) {
      const res = await app.inject({ url });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
      const text = res.rawPayload.toString('utf8');
      for (const m of text.matchAll(/\d{11}/g)) expect(phones.has(m[0]), url).toBe(false);
      for (const m of text.matchAll(/\d{17}[\dX]/g)) expect(ids.has(m[0]), url).toBe(false);
      for (const n of names) expect(text.includes(n), `${url} has ${n}`).toBe(false);
      expect(text).not.toContain(clear.phone);
      expect(text).not.toContain(clear.name);
    }
  });

  describe('coarse locations in shared exports', () => {
    const coords = (body: string) =>
      (JSON.parse(body) as { features: { id: number; geometry: { coordinates: [number, number] } }[] }).features;

    it('gives export tokens village points by default and refuses them exact ones', async () => {
      const bearer = { authorization: `Bearer ${exportToken}` };
      const url = `/api/export/disputes.geojson?town=${WJC}`;
      const exact = coords((await app.inject({ url })).body);
      const coarse = await app.inject({ url, headers: bearer });
      expect(coarse.statusCode, coarse.body).toBe(200);
      const { rows } = await db.query<{ id: number; lon: number; lat: number }>(
        `SELECT d.id, round(ST_X(v.label_point)::numeric, 6)::float8 AS lon,
                round(ST_Y(v.label_point)::numeric, 6)::float8 AS lat
         FROM disputes d JOIN admin_units v ON v.code = d.village_code WHERE d.town_code = $1`,
        [WJC],
      );
      const village = new Map(rows.map((r) => [Number(r.id), [r.lon, r.lat]]));
      const features = coords(coarse.body);
      expect(features.length).toBe(exact.length);
      expect(features.length).toBeGreaterThan(10);
      let moved = 0;
      for (const [i, ft] of features.entries()) {
        expect(ft.geometry.coordinates).toEqual(village.get(ft.id));
        if (ft.geometry.coordinates[0] !== exact[i]?.geometry.coordinates[0]) moved++;
      }
      expect(moved).toBeGreaterThan(features.length / 2);
      const csv = await app.inject({ url: `/api/export/disputes.csv?town=${WJC}`, headers: bearer });
      const firstRow = csv.body.split('\r\n')[1] as string;
      const [lon, lat] = firstRow.split(',').slice(-2).map(Number);
      expect([lon, lat]).toEqual(village.get(features[0]?.id as number));
      const refused = await app.inject({ url: `${url}&precision=exact`, headers: bearer });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ field: 'precision' });
      const ogc = await app.inject({ url: `/ogc/collections/disputes/items?town=${WJC}&limit=5`, headers: bearer });
      expect(ogc.statusCode, ogc.body).toBe(200);
      for (const ft of coords(ogc.body)) expect(ft.geometry.coordinates).toEqual(village.get(ft.id));
    });

    it('gives export tokens dispute tiles on a coarse grid at every zoom, each feature at its cell centre', async () => {
      const bearer = { authorization: `Bearer ${exportToken}` };
      const c = (
        await db.query<{ lon: number; lat: number }>(
          'SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM disputes WHERE town_code = $1 ORDER BY id LIMIT 1',
          [WJC],
        )
      ).rows[0] as { lon: number; lat: number };
      const features = async (z: number, headers: Record<string, string> = {}) => {
        const n = 2 ** z;
        const rad = (c.lat * Math.PI) / 180;
        const x = Math.floor(((c.lon + 180) / 360) * n);
        const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
        const res = await app.inject({ url: `/tiles/disputes/${z}/${x}/${y}.mvt`, headers });
        expect(res.statusCode).toBe(200);
        const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.disputes;
        const out: { x: number; y: number; count: number }[] = [];
        for (let i = 0; i < (layer?.length ?? 0); i++) {
          const f = layer?.feature(i);
          const p = f?.loadGeometry()[0]?.[0];
          if (f && p) out.push({ x: p.x, y: p.y, count: f.properties.count as number });
        }
        return out;
      };
      // Web Mercator metres across a tile at z13 and z16: 4,892 m (4 cells of ≥ 1,000 m) and 611 m (1 cell).
      for (const [z, cells] of [
        [13, 4],
        [16, 1],
      ] as const) {
        const shared = await features(z, bearer);
        const staff = await features(z);
        expect(shared.length, `z${z}`).toBeGreaterThan(0);
        const centres = new Set(Array.from({ length: cells }, (_, k) => ((k + 0.5) * TILE_EXTENT) / cells));
        for (const f of shared) expect(centres.has(f.x) && centres.has(f.y), `z${z} ${f.x},${f.y}`).toBe(true);
        // The same cases, inside the tile: staff see them where they are, spread over more places.
        const inside = (fs: typeof shared) =>
          fs.filter((f) => f.x >= 0 && f.x < TILE_EXTENT && f.y >= 0 && f.y < TILE_EXTENT);
        const sum = (fs: typeof shared) => fs.reduce((n, f) => n + f.count, 0);
        expect(sum(inside(shared)), `z${z}`).toBe(sum(inside(staff)));
        expect(inside(staff).length, `z${z}`).toBeGreaterThan(inside(shared).length);
      }
    });

    it('snaps to a metre grid on request', async () => {
      const g = await app.inject({ url: `/api/export/disputes.geojson?town=${WJC}&precision=grid&gridM=1000` });
      expect(g.statusCode, g.body).toBe(200);
      const exact = new Map(
        coords((await app.inject({ url: `/api/export/disputes.geojson?town=${WJC}` })).body).map((f) => [
          f.id,
          f.geometry.coordinates,
        ]),
      );
      const dy = 1000 / 110574;
      const cells = new Set<string>();
      for (const f of coords(g.body)) {
        const [lon, lat] = f.geometry.coordinates;
        const [x, y] = exact.get(f.id) as [number, number];
        // On the grid (a multiple of the cell), and within half a cell diagonal of the true point (< 1 km).
        expect(Math.abs(lat / dy - Math.round(lat / dy))).toBeLessThan(1e-3);
        const metres = Math.hypot((lon - x) * 111320 * Math.cos((y * Math.PI) / 180), (lat - y) * 110574);
        expect(metres).toBeLessThan(720);
        cells.add(`${lon},${lat}`);
      }
      expect(cells.size).toBeLessThan(exact.size);
    });

    it('says what is wrong with a bad precision', async () => {
      const bad = await app.inject({ url: '/api/export/disputes.geojson?gridM=500' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ field: 'gridM' });
      const small = await app.inject({ url: '/api/export/disputes.geojson?precision=grid&gridM=5' });
      expect(small.statusCode).toBe(400);
      const unknown = await app.inject({ url: '/api/export/disputes.csv?precision=house' });
      expect(unknown.statusCode).toBe(400);
    });
  });
});

/** A database from before encryption (version 071, clear parties): migration 100 and the first start encrypt them. */
describe.each(backends)('migrating clear parties on the %s database', (backend) => {
  let db: Db;
  let drop = async () => {};

  beforeAll(async () => {
    if (backend === 'embedded') {
      db = await openEmbedded({});
    } else {
      const url = inject('serverUrl') as string;
      const name = `pii_migration_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const u = new URL(url);
      u.pathname = `/${name}`;
      db = openPostgres({ connectionString: u.toString(), poolSize: 2, statementTimeoutMs: 60_000 });
      drop = async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      };
    }
  });

  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it('moves clear values out, drops the clear columns and encrypts them at start', async () => {
    const postgrator = new Postgrator({
      migrationPattern: fileURLToPath(new URL('../../migrations/*.sql', import.meta.url)),
      driver: 'pg',
      schemaTable: 'schema_version',
      execQuery: async (query) => ({ rows: (await db.query(query)).rows }),
      execSqlScript: (sql) => db.exec(sql),
    });
    await postgrator.migrate('071');
    await db.exec(`
      INSERT INTO admin_units (code, name, level, geom, label_point) VALUES ('430723', '澧县', 'county',
        ST_Multi(ST_MakeEnvelope(111.5, 29.4, 112.0, 29.9, 4326)), ST_SetSRID(ST_MakePoint(111.75, 29.65), 4326));
      INSERT INTO admin_units (code, name, level, parent_code, geom, label_point) VALUES ('430723108', '王家厂镇',
        'town', '430723', ST_Multi(ST_MakeEnvelope(111.5, 29.4, 112.0, 29.9, 4326)),
        ST_SetSRID(ST_MakePoint(111.75, 29.65), 4326));
      INSERT INTO disputes (case_no, category, risk_level, status, reported_at, geom, town_code)
        VALUES ('OLD-1', 'neighbour', 'yellow', 'reported', now(), ST_SetSRID(ST_MakePoint(111.7, 29.6), 4326),
                '430723108');
      INSERT INTO dispute_parties (dispute_id, role, name, phone, id_number)
        SELECT id, 'applicant', '诸葛亮', '13912345678', '430723198001011234' FROM disputes WHERE case_no = 'OLD-1';
      INSERT INTO dispute_parties (dispute_id, role, name) SELECT id, 'respondent', '周瑜' FROM disputes;`);
    await migrate(db);
    const raw = await db.query<{ row: string }>('SELECT row_to_json(p)::text AS row FROM dispute_parties p');
    expect(raw.rows.map((r) => r.row).join()).not.toContain('诸葛亮');
    const pending = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dispute_parties_clear_pending');
    expect(pending.rows[0]?.n).toBe(2);
    // The first start encrypts them (and forgets the clear copies).
    const config = loadConfig({ DATA_DIR: '.data/test', LOG_LEVEL: 'silent' });
    const app = await buildApp({ db, config });
    await app.ready();
    await app.close();
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dispute_parties_clear_pending');
    expect(after.rows[0]?.n).toBe(0);
    const { rows } = await db.query<{ row: string; id: string }>(
      `SELECT row_to_json(p)::text AS row, dispute_id AS id FROM dispute_parties p ORDER BY p.id`,
    );
    for (const r of rows) {
      expect(r.row).toMatch(/"name_enc":"pd1:[0-9a-f]{8}:/);
      expect(r.row).not.toContain('诸葛亮');
      expect(r.row).not.toContain('13912345678');
    }
    const ring = await personalDataKeyring(db, config);
    expect(await partiesInClear(db, ring, Number(rows[0]?.id))).toEqual([
      expect.objectContaining({ name: '诸葛亮', phone: '13912345678', idNumber: '430723198001011234' }),
      expect.objectContaining({ name: '周瑜', phone: null, idNumber: null }),
    ]);
    // New rows must carry an encrypted name (migration 101), in the envelope form (migration 100).
    await expect(
      db.query(`INSERT INTO dispute_parties (dispute_id, role) VALUES ($1, 'other')`, [rows[0]?.id]),
    ).rejects.toThrow();
    await expect(
      db.query(`INSERT INTO dispute_parties (dispute_id, role, name_enc) VALUES ($1, 'other', '孙权')`, [rows[0]?.id]),
    ).rejects.toThrow();
  });
});
