import type { DemoDataset } from '../domain/demo/types.js';
import { partyColumns } from '../domain/personal-data.js';
import { DEMO_PARTIES_SINCE, demoParties } from '../domain/personal-data-demo.js';
import { partyKey, personalDataKeyring } from './keys.js';
import type { Db, Queryable } from './types.js';

// Rows travel as one JSON parameter per chunk and are unpacked by json_to_recordset: one round trip per
// few thousand rows on both backends (PGlite has no COPY FROM STDIN), and every value stays a parameter.
const CHUNK = 5000;

export const DEMO_AS_OF = '2023-05-17T23:59:59+08:00';

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function isSeeded(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_units');
  return (rows[0]?.n ?? 0) > 0;
}

/** Loads the demo dataset in one transaction: a seed that fails half-way leaves the database empty. */
export async function seedDemo(db: Db, data: DemoDataset): Promise<void> {
  await db.transaction(async (tx) => {
    await insertAdminUnits(tx, data);
    const stationIds = await insertStations(tx, data);
    await insertDisputes(tx, data, stationIds);
    await insertParties(tx, data);
    await insertScreenings(tx, data);
    // One monthly screening round (synthetic), due two days before the demo's "today": the rounds page and the
    // overdue-villages warning have something to show; the villages that reported on 16–17 May are late.
    await tx.query(
      `INSERT INTO screening_rounds (name, kind, starts_on, due_on)
       VALUES ('2023年5月例行排查（演示）', 'monthly', '2023-05-01', '2023-05-15')`,
    );
    // The demo's "today" is the last day of the article's period (see migrations/006).
    await tx.query(
      `INSERT INTO app_settings (key, value) VALUES ('as_of', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [DEMO_AS_OF],
    );
  });
}

async function insertAdminUnits(tx: Queryable, data: DemoDataset) {
  // Parents first: the county, then towns, then villages (foreign key on parent_code).
  for (const level of ['county', 'town', 'village'] as const) {
    const rows = data.adminUnits
      .filter((u) => u.level === level)
      .map((u) => ({
        code: u.code,
        name: u.name,
        level: u.level,
        parent_code: u.parentCode,
        geom: JSON.stringify(u.geometry),
        lon: u.labelPoint[0],
        lat: u.labelPoint[1],
      }));
    for (const chunk of chunks(rows, 500)) {
      await tx.query(
        `INSERT INTO admin_units (code, name, level, parent_code, geom, label_point)
         SELECT code, name, level, parent_code,
                ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326)), ST_SetSRID(ST_MakePoint(lon, lat), 4326)
         FROM json_to_recordset($1::json)
           AS r(code text, name text, level text, parent_code text, geom text, lon float8, lat float8)`,
        [JSON.stringify(chunk)],
      );
    }
  }
}

async function insertStations(tx: Queryable, data: DemoDataset): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  // Hosts and staffing offices first so that joint rooms can reference them.
  const ordered = [...data.stations].sort((a, b) => Number(a.hostKey !== null) - Number(b.hostKey !== null));
  for (const s of ordered) {
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO stations (kind, name, town_code, geom, staff_count, opened_on, host_station_id, staffed_by_id)
       VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, $8, $9) RETURNING id`,
      [
        s.kind,
        s.name,
        s.townCode,
        s.point.coordinates[0],
        s.point.coordinates[1],
        s.staffCount,
        s.openedOn,
        s.hostKey ? (ids.get(s.hostKey) ?? null) : null,
        s.staffedByKey ? (ids.get(s.staffedByKey) ?? null) : null,
      ],
    );
    const id = rows[0]?.id;
    if (id === undefined) throw new Error(`station ${s.key} was not inserted`);
    ids.set(s.key, id);
  }
  return ids;
}

async function insertDisputes(tx: Queryable, data: DemoDataset, stationIds: Map<string, number>) {
  const rows = data.disputes.map((d) => ({
    case_no: d.caseNo,
    category: d.category,
    risk_level: d.riskLevel,
    status: d.status,
    mediation_channel: d.channel,
    resolution_level: d.resolutionLevel,
    reported_at: d.reportedAt,
    accepted_at: d.acceptedAt,
    resolved_at: d.resolvedAt,
    lon: d.lon,
    lat: d.lat,
    village_code: d.villageCode,
    town_code: d.townCode,
    station_id: stationIds.get(d.stationKey) ?? null,
    summary: d.summary,
  }));
  for (const chunk of chunks(rows)) {
    await tx.query(
      `INSERT INTO disputes (case_no, category, risk_level, status, mediation_channel, resolution_level,
                             reported_at, accepted_at, resolved_at, geom, village_code, town_code, station_id,
                             summary)
       SELECT case_no, category, risk_level, status, mediation_channel, resolution_level,
              reported_at, accepted_at, resolved_at, ST_SetSRID(ST_MakePoint(lon, lat), 4326),
              village_code, town_code, station_id, summary
       FROM json_to_recordset($1::json) AS r(case_no text, category text, risk_level text, status text,
              mediation_channel text, resolution_level text, reported_at timestamptz, accepted_at timestamptz,
              resolved_at timestamptz, lon float8, lat float8, village_code text, town_code text,
              station_id int, summary text)`,
      [JSON.stringify(chunk)],
    );
  }
}

/**
 * Synthetic parties, encrypted like every party (AES-256-GCM, see domain/personal-data). The seed runs before the
 * app's configuration is at hand, so it uses the keys kept in app_settings (made here once); the app keeps that
 * key as a decrypting key when PERSONAL_DATA_KEY is set later.
 */
async function insertParties(tx: Queryable, data: DemoDataset) {
  const ring = await personalDataKeyring(tx, null);
  const hashKey = await partyKey(tx, null);
  const since = Date.parse(DEMO_PARTIES_SINCE);
  const cases = data.disputes.filter((d) => Date.parse(d.reportedAt) >= since).map((d) => d.caseNo);
  const rows = demoParties(cases).map(({ caseNo, party }) => ({
    case_no: caseNo,
    ...partyColumns(ring, hashKey, party),
  }));
  for (const chunk of chunks(rows)) {
    await tx.query(
      `INSERT INTO dispute_parties (dispute_id, role, name_enc, phone_enc, id_number_enc, phone_hash, id_number_hash)
       SELECT d.id, r.role, r.name_enc, r.phone_enc, r.id_number_enc, r.phone_hash, r.id_number_hash
       FROM json_to_recordset($1::json) AS r(case_no text, role text, name_enc text, phone_enc text,
              id_number_enc text, phone_hash text, id_number_hash text)
       JOIN disputes d ON d.case_no = r.case_no`,
      [JSON.stringify(chunk)],
    );
  }
  // Statistics now: the repeat lookups by party hash (one per register row) pick their indexes only when the
  // planner knows the table is large; PGlite has no autovacuum to find out.
  await tx.query('ANALYZE dispute_parties');
}

async function insertScreenings(tx: Queryable, data: DemoDataset) {
  const batch = await tx.query<{ id: number }>(
    `INSERT INTO upload_batches (idempotency_key, file_name, format, encoding, crs, uploaded_by, rows_total,
                                 rows_accepted)
     VALUES ('demo-seed', 'demo-screenings (synthetic)', 'form', 'utf-8', 'wgs84', 'demo-seed', $1, $1)
     RETURNING id`,
    [data.screenings.length],
  );
  const batchId = batch.rows[0]?.id;
  for (const chunk of chunks(data.screenings)) {
    await tx.query(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS r(client_id uuid, village_code text, town_code text,
           screened_on date, screener text, lon float8, lat float8, zero_report boolean, items json)
       ), inserted AS (
         INSERT INTO screenings (client_id, village_code, town_code, screened_on, screener, geom, zero_report,
                                 batch_id)
         SELECT client_id, village_code, town_code, screened_on, screener,
                ST_SetSRID(ST_MakePoint(lon, lat), 4326), zero_report, $2
         FROM input
         RETURNING id, client_id
       )
       INSERT INTO screening_items (screening_id, category, risk_level, note)
       SELECT inserted.id, item.category, item.risk_level, item.note
       FROM inserted
       JOIN input USING (client_id)
       CROSS JOIN LATERAL json_to_recordset(input.items) AS item(category text, risk_level text, note text)`,
      [
        JSON.stringify(
          chunk.map((s) => ({
            client_id: s.clientId,
            village_code: s.villageCode,
            town_code: s.townCode,
            screened_on: s.screenedOn,
            screener: s.screener,
            lon: s.lon,
            lat: s.lat,
            zero_report: s.zeroReport,
            items: s.items.map((i) => ({ category: i.category, risk_level: i.riskLevel, note: i.note })),
          })),
        ),
        batchId,
      ],
    );
  }
}
