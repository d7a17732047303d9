import { generatePeople, type PeopleInput } from '../domain/demo/people.js';
import type { DemoDataset } from '../domain/demo/types.js';
import { encryptField, partyColumns } from '../domain/personal-data.js';
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
    await insertRounds(tx, data);
    // The county's scheduled briefings (weekly and monthly, issue 17): the scheduler makes them once per period.
    await tx.query(
      `INSERT INTO briefing_schedules (scope_code, frequency, lang, updated_by)
       SELECT code, f, 'zh-CN', 'demo' FROM admin_units, unnest(ARRAY['weekly', 'monthly']) AS f WHERE level = 'county'`,
    );
    // The demo's "today" is the last day of the article's period (see migrations/006).
    await tx.query(
      `INSERT INTO app_settings (key, value) VALUES ('as_of', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [DEMO_AS_OF],
    );
    // After "today" is pinned: the register's terms, visits and meetings are dated from it.
    await seedPeople(tx);
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

/**
 * The monthly screening rounds (synthetic, domain/demo/screenings.ts), oldest first. The latest, May 2023, was due
 * two days before the demo's "today": the rounds page and the overdue-villages warning have something to show.
 */
async function insertRounds(tx: Queryable, data: DemoDataset) {
  await tx.query(
    `INSERT INTO screening_rounds (name, kind, starts_on, due_on)
     SELECT name, kind, starts_on, due_on
     FROM json_to_recordset($1::json) AS r(name text, kind text, starts_on date, due_on date)
     ORDER BY starts_on`,
    [JSON.stringify(data.rounds.map((r) => ({ name: r.name, kind: r.kind, starts_on: r.startsOn, due_on: r.dueOn })))],
  );
}

/**
 * The demo county's people and paperwork (issue 18, synthetic, see domain/demo/people.ts), from the rows just
 * seeded. Names encrypted like every personal value; every row marked synthetic where the table says so.
 */
export async function seedPeople(tx: Queryable): Promise<void> {
  const ring = await personalDataKeyring(tx, null);
  const rows = async <T>(text: string) => (await tx.query<T>(text)).rows;
  const stations = await rows<{ id: number; kind: string; townCode: string; name: string }>(
    `SELECT id, kind, town_code AS "townCode", name FROM stations ORDER BY id`,
  );
  const villages = await rows<{ code: string; townCode: string; name: string }>(
    `SELECT code, parent_code AS "townCode", name FROM admin_units WHERE level = 'village' ORDER BY code`,
  );
  const towns = await rows<{ code: string; name: string }>(
    `SELECT code, name FROM admin_units WHERE level = 'town' ORDER BY code`,
  );
  const cases = await rows<PeopleInput['cases'][number]>(
    `SELECT id::int AS id, town_code AS "townCode", village_code AS "villageCode", station_id AS "stationId", status,
       to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "reportedOn",
       to_char(resolved_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "resolvedOn", summary
     FROM disputes
     WHERE reported_at >= (app_now() - interval '400 days') OR resolved_at >= (app_now() - interval '200 days')
     ORDER BY reported_at, id`,
  );
  const today = (
    await rows<{ d: string }>(`SELECT to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d`)
  )[0]?.d as string;
  const p = generatePeople({ today, stations, villages, towns, cases, accounts: [] });
  const ids: number[] = [];
  for (const chunk of chunks(p.mediators, 1000)) {
    const { rows: made } = await tx.query<{ id: string }>(
      `INSERT INTO mediators (name_enc, kind, station_id, village_code, town_code, appointment_no, appointed_by,
         appointed_from, appointed_to, qualification, qualification_expires_on, active, synthetic, created_by)
       SELECT name_enc, kind, station_id, village_code, town_code, appointment_no, appointed_by, appointed_from,
         appointed_to, qualification, qualification_expires_on, active, true, 'demo-seed'
       FROM json_to_recordset($1::json) AS r(name_enc text, kind text, station_id int,
         village_code text, town_code text, appointment_no text, appointed_by text, appointed_from date,
         appointed_to date, qualification text, qualification_expires_on date, active boolean, n int)
       ORDER BY n
       RETURNING id`,
      [
        JSON.stringify(
          chunk.map((m) => ({
            n: m.key,
            name_enc: encryptField(ring, 'mediator_name', m.name),
            kind: m.kind,
            station_id: m.stationId,
            village_code: m.villageCode,
            town_code: m.townCode,
            appointment_no: m.appointmentNo,
            appointed_by: m.appointedBy,
            appointed_from: m.appointedFrom,
            appointed_to: m.appointedTo,
            qualification: m.qualification,
            qualification_expires_on: m.qualificationExpiresOn,
            active: m.active,
          })),
        ),
      ],
    );
    // The sequence numbers rows in the order ORDER BY n produces them, so ascending ids follow the keys.
    ids.push(...made.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  const idOf = (key: number | null) => (key === null ? null : (ids[key] ?? null));
  const json = (text: string, data: unknown[]) => tx.query(text, [JSON.stringify(data)]);
  for (const chunk of chunks(p.trainings)) {
    await json(
      `INSERT INTO mediator_trainings (mediator_id, trained_on, hours, course, created_by)
       SELECT mediator_id, trained_on, hours, course, 'demo-seed'
       FROM json_to_recordset($1::json) AS r(mediator_id bigint, trained_on date, hours numeric, course text)`,
      chunk.map((t) => ({
        mediator_id: idOf(t.mediatorKey),
        trained_on: t.trainedOn,
        hours: t.hours,
        course: t.course,
      })),
    );
  }
  for (const chunk of chunks(p.caseMediators)) {
    await json(
      `INSERT INTO case_mediators (dispute_id, mediator_id, added_by)
       SELECT dispute_id, mediator_id, 'demo-seed' FROM json_to_recordset($1::json) AS r(dispute_id bigint, mediator_id bigint)
       ON CONFLICT DO NOTHING`,
      chunk.map((c) => ({ dispute_id: c.disputeId, mediator_id: idOf(c.mediatorKey) })),
    );
  }
  for (const chunk of chunks(p.agreements)) {
    await json(
      `WITH a AS (SELECT * FROM json_to_recordset($1::json) AS r(dispute_id bigint, agreed_on date, follow_up_on date,
         note text)),
       ins AS (INSERT INTO case_agreements (dispute_id, agreed_on, kind, follow_up_on, note, actor)
         SELECT dispute_id, agreed_on, 'written', follow_up_on, note, 'demo-seed' FROM a)
       UPDATE disputes d SET follow_up_on = a.follow_up_on FROM a WHERE d.id = a.dispute_id`,
      chunk.map((a) => ({ dispute_id: a.disputeId, agreed_on: a.agreedOn, follow_up_on: a.followUpOn, note: a.note })),
    );
  }
  await json(
    `INSERT INTO judicial_confirmations (dispute_id, applied_on, court, result, decided_on, actor)
     SELECT dispute_id, applied_on, court, result, decided_on, 'demo-seed'
     FROM json_to_recordset($1::json) AS r(dispute_id bigint, applied_on date, court text, result text, decided_on date)`,
    p.confirmations.map((c) => ({
      dispute_id: c.disputeId,
      applied_on: c.appliedOn,
      court: c.court,
      result: c.result,
      decided_on: c.decidedOn,
    })),
  );
  for (const chunk of chunks(p.visits)) {
    await json(
      `INSERT INTO follow_up_visits (dispute_id, visited_on, mediator_id, performance, satisfaction, note, actor,
         synthetic)
       SELECT dispute_id, visited_on, mediator_id, performance, satisfaction, note, 'demo-seed', true
       FROM json_to_recordset($1::json) AS r(dispute_id bigint, visited_on date, mediator_id bigint, performance text,
         satisfaction text, note text)`,
      chunk.map((v) => ({
        dispute_id: v.disputeId,
        visited_on: v.visitedOn,
        mediator_id: idOf(v.mediatorKey),
        performance: v.performance,
        satisfaction: v.satisfaction,
        note: v.note,
      })),
    );
  }
  for (const chunk of chunks(p.dossier)) {
    await json(
      `INSERT INTO dossier_items (dispute_id, item, state, updated_by)
       SELECT dispute_id, item, state, 'demo-seed' FROM json_to_recordset($1::json) AS r(dispute_id bigint, item text,
         state text)`,
      chunk.map((d) => ({ dispute_id: d.disputeId, item: d.item, state: d.state })),
    );
  }
  for (const m of p.meetings) {
    const { rows: made } = await tx.query<{ id: string }>(
      `INSERT INTO joint_meetings (kind, held_on, town_code, title, minutes, synthetic, created_by)
       VALUES ($1, $2, $3, $4, $5, true, 'demo-seed') RETURNING id`,
      [m.kind, m.heldOn, m.townCode, m.title, m.minutes],
    );
    const id = Number(made[0]?.id);
    await tx.query(`INSERT INTO meeting_attendees (meeting_id, mediator_id) SELECT $1, unnest($2::bigint[])`, [
      id,
      m.mediatorKeys.map(idOf),
    ]);
    await tx.query(`INSERT INTO meeting_cases (meeting_id, dispute_id) SELECT $1, unnest($2::bigint[])`, [
      id,
      m.caseIds,
    ]);
    await json(
      `INSERT INTO meeting_decisions (meeting_id, position, text, station_id, due_on, dispute_id)
       SELECT meeting_id, position, text, station_id, due_on, dispute_id FROM json_to_recordset($1::json)
         AS r(meeting_id bigint, position int, text text, station_id int, due_on date, dispute_id bigint)`,
      m.decisions.map((d, i) => ({
        meeting_id: id,
        position: i + 1,
        text: d.text,
        station_id: d.stationId,
        due_on: d.dueOn,
        dispute_id: d.disputeId,
      })),
    );
  }
}
