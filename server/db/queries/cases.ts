import type { EscalationWeights } from '../../domain/cases/escalation.js';
import type { DisputeStatus } from '../../domain/vocabulary.js';
import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

/**
 * SQL of the case register and workflow (issue 7). Times are "now" = app_now() (pinned for the demo), so that
 * ages, deadlines and the figures stay consistent with the demo's as-of day.
 */

const LOCAL = (col: string) => `to_char((${col}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`;

/** When the case entered its present state (demo cases carry no history: their stamps stand in). */
const ENTERED = `coalesce(d.state_entered_at, CASE WHEN d.status = 'reported' THEN d.reported_at
                   ELSE coalesce(d.resolved_at, d.accepted_at, d.reported_at) END)`;

/** The deadline (days) of the case's state: the category's own rule, else the state's default. */
const DEADLINE = `(SELECT cd.days FROM case_deadlines cd WHERE cd.status = d.status
                     AND (cd.category = d.category OR cd.category IS NULL)
                   ORDER BY cd.category IS NULL LIMIT 1)`;

/** Repeats of a case: other cases sharing a party (keyed hash) or the same category within 300 m and 180 days. */
export const REPEAT_WINDOW = { metres: 300, days: 180 } as const;
// Three indexed lookups (place; same ID-number hash; same phone hash) rather than one OR over every case: with
// parties on every case, an EXISTS per other case would be evaluated tens of thousands of times per row.
export const REPEAT_IDS = (alias: string) => `(
  SELECT coalesce(array_agg(DISTINCT x.id ORDER BY x.id), '{}') FROM (
    -- A degree box first (GiST), then category, time and the exact distance on the sphere. OFFSET 0 keeps the
    -- box lookup on its own: planned together, PostgreSQL ANDed it with a (category, reported_at) bitmap scan that
    -- read thousands of index entries per case (1.4 ms a case; 10 s for the 7,000 open cases of 100k disputes).
    SELECT o.id FROM (SELECT b.id, b.category, b.reported_at, b.geom FROM disputes b
                      WHERE ST_DWithin(b.geom, ${alias}.geom, 0.004) OFFSET 0) o
    WHERE o.id <> ${alias}.id AND o.category = ${alias}.category
      AND o.reported_at BETWEEN ${alias}.reported_at - interval '${REPEAT_WINDOW.days} days'
                            AND ${alias}.reported_at + interval '${REPEAT_WINDOW.days} days'
      AND ST_DWithin(o.geom::geography, ${alias}.geom::geography, ${REPEAT_WINDOW.metres})
    UNION ALL
    SELECT q.dispute_id FROM dispute_parties p JOIN dispute_parties q ON q.id_number_hash = p.id_number_hash
    WHERE p.dispute_id = ${alias}.id AND q.dispute_id <> ${alias}.id
    UNION ALL
    SELECT q.dispute_id FROM dispute_parties p JOIN dispute_parties q ON q.phone_hash = p.phone_hash
    WHERE p.dispute_id = ${alias}.id AND q.dispute_id <> ${alias}.id) x)`;

/**
 * The same related cases as REPEAT_IDS, counted for every open case at once (the county-wide escalation rule):
 * hash joins instead of one lookup per case (≈ 0.19 ms × 70,128 open cases = 13 s at 1M disputes). Places: a
 * grid of REPEAT_GRID degrees, each open case against the 3 × 3 cells around its own (a cell is wider than
 * REPEAT_WINDOW.metres up to 47° N, as REPEAT_IDS's box), then the exact distance on the sphere. Rows (id, n).
 */
const REPEAT_GRID = 0.004;
export const REPEAT_COUNTS_OF_OPEN = (open: string) => `(
  WITH o AS MATERIALIZED (
    SELECT d.id, d.geom, d.category, d.reported_at,
           floor(ST_X(d.geom) / ${REPEAT_GRID})::int AS gx, floor(ST_Y(d.geom) / ${REPEAT_GRID})::int AS gy
    FROM disputes d WHERE d.status IN ${open}),
  b AS (
    SELECT d.id, d.geom, d.category, d.reported_at,
           floor(ST_X(d.geom) / ${REPEAT_GRID})::int AS gx, floor(ST_Y(d.geom) / ${REPEAT_GRID})::int AS gy
    FROM disputes d),
  pairs AS (
    SELECT o.id, b.id AS other
    FROM o CROSS JOIN (VALUES (-1), (0), (1)) AS dx(v) CROSS JOIN (VALUES (-1), (0), (1)) AS dy(v)
    JOIN b ON b.category = o.category AND b.gx = o.gx + dx.v AND b.gy = o.gy + dy.v
    WHERE b.id <> o.id
      AND b.reported_at BETWEEN o.reported_at - interval '${REPEAT_WINDOW.days} days'
                            AND o.reported_at + interval '${REPEAT_WINDOW.days} days'
      AND ST_DWithin(b.geom::geography, o.geom::geography, ${REPEAT_WINDOW.metres})
    UNION
    SELECT o.id, q.dispute_id FROM o JOIN dispute_parties p ON p.dispute_id = o.id
      JOIN dispute_parties q ON q.id_number_hash = p.id_number_hash AND q.dispute_id <> o.id
    UNION
    SELECT o.id, q.dispute_id FROM o JOIN dispute_parties p ON p.dispute_id = o.id
      JOIN dispute_parties q ON q.phone_hash = p.phone_hash AND q.dispute_id <> o.id)
  SELECT id, count(*)::int AS n FROM pairs GROUP BY id)`;

const rowSql = `json_build_object(
    'id', d.id, 'caseNo', d.case_no, 'category', d.category, 'riskLevel', d.risk_level, 'status', d.status,
    'channel', d.mediation_channel, 'resolutionLevel', d.resolution_level, 'referralKind', d.referral_kind,
    'reportedAt', ${LOCAL('d.reported_at')}, 'acceptedAt', ${LOCAL('d.accepted_at')},
    'resolvedAt', ${LOCAL('d.resolved_at')}, 'stateEnteredAt', ${LOCAL(ENTERED)},
    'townCode', d.town_code, 'townName', t.name, 'villageCode', d.village_code, 'villageName', v.name,
    'stationId', d.station_id, 'stationName', s.name, 'stationKind', s.kind,
    'lon', round(ST_X(d.geom)::numeric, 6), 'lat', round(ST_Y(d.geom)::numeric, 6),
    'summary', d.summary, 'threat', d.threat, 'injury', d.injury, 'version', d.version,
    'reopenedFromId', d.reopened_from_id, 'screeningItemId', d.screening_item_id,
    'followUpOn', d.follow_up_on,
    'daysOpen', CASE WHEN d.status IN ('reported', 'accepted', 'mediating')
                     THEN floor(extract(epoch FROM app_now() - d.reported_at) / 86400)::int END,
    'deadlineDays', x.deadline_days,
    'dueAt', ${LOCAL(`${ENTERED} + make_interval(days => x.deadline_days)`)},
    'overdue', coalesce(app_now() > ${ENTERED} + make_interval(days => x.deadline_days), false),
    'repeatIds', ${REPEAT_IDS('d')})`;

const fromSql = `FROM disputes d
  CROSS JOIN LATERAL (SELECT ${DEADLINE} AS deadline_days) x
  JOIN admin_units t ON t.code = d.town_code
  LEFT JOIN admin_units v ON v.code = d.village_code
  LEFT JOIN stations s ON s.id = d.station_id`;

export interface RegisterFilter {
  town?: string | undefined;
  station?: number | undefined;
  statuses?: readonly DisputeStatus[] | undefined;
  q?: string | undefined;
  overdue?: boolean | undefined;
  repeat?: boolean | undefined;
}

export const registerSorts = {
  '-reportedAt': 'd.reported_at DESC, d.id DESC',
  reportedAt: 'd.reported_at ASC, d.id ASC',
  risk: `array_position(ARRAY['red','orange','yellow','blue'], d.risk_level), d.reported_at ASC, d.id ASC`,
  due: `${ENTERED} + make_interval(days => coalesce(x.deadline_days, 100000)) ASC, d.id ASC`,
  caseNo: 'd.case_no ASC',
} as const;
export type RegisterSort = keyof typeof registerSorts | 'escalation';

/**
 * The escalation score of a register item (its JSON, `rowSql`), the domain's formula (domain/cases/escalation.ts)
 * with its weights as the parameter `w` (jsonb): the same inputs the domain scores each answered row from.
 */
const SCORE = (item: string, w: string) => `least((${w}->>'max')::int,
    coalesce((${w}->'category'->>(${item}->>'category'))::int, 0)
  + coalesce((${w}->'risk'->>(${item}->>'riskLevel'))::int, 0)
  + least((${w}->>'repeatCap')::int, (${w}->>'repeatEach')::int * json_array_length(${item}->'repeatIds'))
  + CASE WHEN (${item}->>'threat')::boolean THEN (${w}->>'threat')::int ELSE 0 END
  + CASE WHEN (${item}->>'injury')::boolean THEN (${w}->>'injury')::int ELSE 0 END
  + CASE WHEN ${item}->>'daysOpen' IS NULL THEN 0
         ELSE least((${w}->>'daysCap')::int,
                    floor(greatest(0, (${item}->>'daysOpen')::int) / (${w}->>'daysPerPoint')::int)::int) END)`;

function registerWhere(f: RegisterFilter): Where {
  const w = new Where();
  if (f.town) w.add(`d.town_code = ${w.param(f.town)}`);
  if (f.station !== undefined) w.add(`d.station_id = ${w.param(f.station)}`);
  if (f.statuses && f.statuses.length > 0) w.add(`d.status = ANY(${w.param(f.statuses)}::text[])`);
  if (f.q) {
    // Case number, summary and place; never the parties (their clear values stay out of lists).
    const p = w.param(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    w.add(`(d.case_no ILIKE ${p} OR d.summary ILIKE ${p} OR v.name ILIKE ${p} OR t.name ILIKE ${p})`);
  }
  if (f.overdue) w.add(`app_now() > ${ENTERED} + make_interval(days => x.deadline_days)`);
  if (f.repeat) w.add(`cardinality(${REPEAT_IDS('d')}) > 0`);
  return w;
}

export function registerCount(f: RegisterFilter): Sql {
  const w = registerWhere(f);
  return sql(`SELECT count(*)::int AS total ${fromSql} ${w.toSql()}`, w.values);
}

/** A page of the register, in the order of `sort`. */
export function registerPage(f: RegisterFilter, sort: keyof typeof registerSorts, limit: number, offset: number) {
  const w = registerWhere(f);
  const lim = `LIMIT ${w.param(limit)} OFFSET ${w.param(offset)}`;
  return sql(`SELECT ${rowSql} AS item ${fromSql} ${w.toSql()} ORDER BY ${registerSorts[sort]} ${lim}`, w.values);
}

/** A page of the register ranked by escalation score (highest first, then by id), cut in the database. */
export function registerRankedPage(f: RegisterFilter, weights: EscalationWeights, limit: number, offset: number) {
  const w = registerWhere(f);
  const inner = `SELECT ${rowSql} AS item, d.id ${fromSql} ${w.toSql()}`;
  const weight = `${w.param(JSON.stringify(weights))}::jsonb`;
  return sql(
    `SELECT r.item FROM (${inner}) r ORDER BY ${SCORE('r.item', weight)} DESC, r.id ASC
     LIMIT ${w.param(limit)} OFFSET ${w.param(offset)}`,
    w.values,
  );
}

export function caseRow(id: number): Sql {
  return sql(`SELECT ${rowSql} AS item ${fromSql} WHERE d.id = $1`, [id]);
}

/** Locks the case row for a write and returns what the workflow checks. */
export function lockCase(id: number): Sql {
  return sql(
    `SELECT id, status, version, station_id, mediation_channel, category, town_code FROM disputes
     WHERE id = $1 FOR UPDATE`,
    [id],
  );
}

/** The village and town containing a point, or the village's own point when only the village is given. */
export function locate(lon: number | null, lat: number | null, villageCode: string | null): Sql {
  if (lon !== null && lat !== null) {
    return sql(
      `SELECT v.code AS village_code, v.parent_code AS town_code, $1::float8 AS lon, $2::float8 AS lat
       FROM admin_units v
       WHERE v.level = 'village' AND ST_Covers(v.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1`,
      [lon, lat],
    );
  }
  return sql(
    `SELECT v.code AS village_code, v.parent_code AS town_code, ST_X(v.label_point) AS lon, ST_Y(v.label_point) AS lat
     FROM admin_units v WHERE v.level = 'village' AND v.code = $1`,
    [villageCode],
  );
}

/**
 * The next case number of the year: one above the year's highest. Two registrations at once would take the same
 * number (a 409 on the unique key), so the caller first takes `lockCaseNumbers` for its transaction. The range
 * lets the unique index find the highest (the regex alone read every row); it holds every number of the year
 * under any collation, and the regex still decides.
 */
export function nextCaseNo(): Sql {
  return sql(
    `SELECT 'LX-' || y || '-' || lpad((coalesce((
         SELECT substring(case_no FROM 9)::int FROM disputes
         WHERE case_no BETWEEN 'LX-' || n.y || '-000000' AND 'LX-' || n.y || '-999999'
           AND case_no ~ ('^LX-' || n.y || '-[0-9]{6}$')
         ORDER BY case_no DESC LIMIT 1), 0) + 1)::text, 6, '0') AS case_no
     FROM (SELECT to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') AS y) n`,
    [],
  );
}

/** Held until commit: registrations take their numbers one after the other (see nextCaseNo). */
export function lockCaseNumbers(): Sql {
  return sql(`SELECT pg_advisory_xact_lock(hashtext('disputes.case_no'))`, []);
}

export function caseEvents(id: number): Sql {
  return sql(
    `SELECT coalesce(json_agg(json_build_object(
        'id', e.id, 'kind', e.kind, 'fromStatus', e.from_status, 'toStatus', e.to_status, 'actor', e.actor,
        'stationId', e.station_id, 'stationName', s.name, 'stationKind', s.kind,
        'toStationId', e.to_station_id, 'toStationName', ts.name, 'toStationKind', ts.kind,
        'channel', e.mediation_channel, 'level', e.handling_level, 'referralKind', e.referral_kind,
        'linkedDisputeId', e.linked_dispute_id, 'linkedCaseNo', l.case_no, 'details', e.details,
        'note', e.note, 'occurredAt', ${LOCAL('e.occurred_at')}) ORDER BY e.occurred_at, e.id), '[]')::text AS body
     FROM case_events e
     LEFT JOIN stations s ON s.id = e.station_id
     LEFT JOIN stations ts ON ts.id = e.to_station_id
     LEFT JOIN disputes l ON l.id = e.linked_dispute_id
     WHERE e.dispute_id = $1`,
    [id],
  );
}

export interface EventRow {
  disputeId: number;
  kind: 'created' | 'transition' | 'handoff' | 'note' | 'edit' | 'agreement' | 'reopened';
  fromStatus?: string | null;
  toStatus?: string | null;
  actor: string;
  stationId?: number | null;
  toStationId?: number | null;
  channel?: string | null;
  level?: string | null;
  referralKind?: string | null;
  linkedDisputeId?: number | null;
  note?: string;
  details?: Record<string, unknown>;
}

export function insertEvent(e: EventRow): Sql {
  return sql(
    `INSERT INTO case_events (dispute_id, kind, from_status, to_status, actor, station_id, to_station_id,
       mediation_channel, handling_level, referral_kind, linked_dispute_id, note, details, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, app_now())
     RETURNING id`,
    [
      e.disputeId,
      e.kind,
      e.fromStatus ?? null,
      e.toStatus ?? null,
      e.actor,
      e.stationId ?? null,
      e.toStationId ?? null,
      e.channel ?? null,
      e.level ?? null,
      e.referralKind ?? null,
      e.linkedDisputeId ?? null,
      e.note ?? '',
      JSON.stringify(e.details ?? {}),
    ],
  );
}

export function caseAgreements(id: number): Sql {
  return sql(
    `SELECT coalesce(json_agg(json_build_object('id', id, 'agreedOn', agreed_on, 'kind', kind,
              'followUpOn', follow_up_on, 'note', note, 'actor', actor) ORDER BY id), '[]')::text AS body
     FROM case_agreements WHERE dispute_id = $1`,
    [id],
  );
}

/** Cases reopened from this one (the other direction of the reopen link). */
export function reopenedAs(id: number): Sql {
  return sql(`SELECT id, case_no AS "caseNo", status FROM disputes WHERE reopened_from_id = $1 ORDER BY id`, [id]);
}

export function casesBrief(selfId: number, ids: readonly number[]): Sql {
  return sql(
    `SELECT d.id, d.case_no AS "caseNo", d.status, d.category, v.name AS "villageName", t.name AS "townName",
            ${LOCAL('d.reported_at')} AS "reportedAt",
            EXISTS (SELECT 1 FROM dispute_parties p JOIN dispute_parties q
                      ON (p.id_number_hash = q.id_number_hash OR p.phone_hash = q.phone_hash)
                    WHERE p.dispute_id = d.id AND q.dispute_id = $2) AS "sameParties"
     FROM disputes d JOIN admin_units t ON t.code = d.town_code LEFT JOIN admin_units v ON v.code = d.village_code
     WHERE d.id = ANY($1::bigint[]) ORDER BY d.reported_at`,
    [ids, selfId],
  );
}

export type FiguresBy = 'town' | 'station';

/**
 * The assessment figures (考核): acceptance rate = accepted ÷ found; mediation success rate = resolved ÷ closed
 * (resolved + failed + referred); mean days to accept / to resolve; share resolved at village and at village or
 * town level; referrals by kind. Every rate comes with its counts.
 */
export function figures(by: FiguresBy, town: string | undefined): Sql {
  const key = by === 'town' ? 'd.town_code' : 'd.station_id';
  const unit =
    by === 'town'
      ? `SELECT u.code::text AS key, u.name, u.code AS town_code, NULL::text AS kind FROM admin_units u WHERE u.level = 'town'`
      : `SELECT s.id::text AS key, s.name, s.town_code, s.kind FROM stations s
         WHERE s.kind IN ('police_station', 'judicial_office', 'joint_mediation_room')`;
  const values: unknown[] = [];
  const townFilter = town ? `WHERE u.town_code = $${values.push(town)}` : '';
  return sql(
    `WITH c AS (
       SELECT ${key}::text AS key,
              count(*)::int AS found,
              count(d.accepted_at)::int AS accepted,
              count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved,
              count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE d.status = 'referred')::int AS referred,
              count(*) FILTER (WHERE d.status IN ('reported', 'accepted', 'mediating'))::int AS open,
              count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'village')::int AS at_village,
              count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'town')::int AS at_town,
              count(*) FILTER (WHERE d.referral_kind = 'litigation')::int AS ref_litigation,
              count(*) FILTER (WHERE d.referral_kind = 'arbitration')::int AS ref_arbitration,
              count(*) FILTER (WHERE d.referral_kind = 'public_security_case')::int AS ref_public_security_case,
              count(*) FILTER (WHERE d.referral_kind = 'criminal_case')::int AS ref_criminal_case,
              round(avg(extract(epoch FROM d.accepted_at - d.reported_at) / 86400)::numeric, 2)::float8 AS days_to_accept,
              round(avg(extract(epoch FROM d.resolved_at - d.reported_at) / 86400)
                      FILTER (WHERE d.status = 'resolved')::numeric, 2)::float8 AS days_to_resolve
       FROM disputes d GROUP BY 1)
     SELECT u.key, u.name, u.town_code, u.kind, coalesce(c.found, 0) AS found, coalesce(c.accepted, 0) AS accepted,
            coalesce(c.resolved, 0) AS resolved, coalesce(c.failed, 0) AS failed,
            coalesce(c.referred, 0) AS referred, coalesce(c.open, 0) AS open,
            coalesce(c.at_village, 0) AS at_village, coalesce(c.at_town, 0) AS at_town,
            coalesce(c.ref_litigation, 0) AS ref_litigation, coalesce(c.ref_arbitration, 0) AS ref_arbitration,
            coalesce(c.ref_public_security_case, 0) AS ref_public_security_case,
            coalesce(c.ref_criminal_case, 0) AS ref_criminal_case,
            c.days_to_accept, c.days_to_resolve
     FROM (${unit}) u LEFT JOIN c ON c.key = u.key ${townFilter}
     ORDER BY u.town_code, u.kind NULLS FIRST, u.name`,
    values,
  );
}

/** The columns a workflow command may change; names come from this list only, values are always parameters. */
const CHANGEABLE = [
  'category',
  'risk_level',
  'summary',
  'threat',
  'injury',
  'follow_up_on',
  'village_code',
  'town_code',
  'station_id',
  'mediation_channel',
  'status',
  'resolution_level',
  'referral_kind',
] as const;
export type CaseColumn = (typeof CHANGEABLE)[number];
const STAMPS = ['state_entered_at', 'accepted_at', 'resolved_at'] as const;

export interface CaseChanges {
  set?: Partial<Record<CaseColumn, unknown>>;
  /** A new position of the case. */
  point?: { lon: number; lat: number };
  /** Columns stamped with app_now(). */
  stamp?: readonly (typeof STAMPS)[number][];
}

/** Applies a command's changes and bumps the version (every write does, so the next stale edit gets a 409). */
export function updateCase(id: number, c: CaseChanges): Sql {
  const values: unknown[] = [id];
  const sets: string[] = [];
  for (const [col, value] of Object.entries(c.set ?? {})) {
    if (!(CHANGEABLE as readonly string[]).includes(col)) throw new Error(`disputes.${col} is not changeable`);
    values.push(value);
    sets.push(`${col} = $${values.length}`);
  }
  if (c.point) {
    values.push(c.point.lon, c.point.lat);
    sets.push(`geom = ST_SetSRID(ST_MakePoint($${values.length - 1}, $${values.length}), 4326)`);
  }
  for (const col of c.stamp ?? []) {
    if (!(STAMPS as readonly string[]).includes(col)) throw new Error(`disputes.${col} is not a stamp`);
    sets.push(`${col} = app_now()`);
  }
  sets.push('version = version + 1', 'updated_at = now()');
  return sql(`UPDATE disputes SET ${sets.join(', ')} WHERE id = $1`, values);
}

export interface CaseInsert {
  caseNo: string;
  category: string;
  riskLevel: string;
  channel: string | null;
  lon: number;
  lat: number;
  villageCode: string;
  townCode: string;
  stationId: number | null;
  summary: string;
  threat: boolean;
  injury: boolean;
  screeningItemId: number | null;
  reopenedFromId: number | null;
  createdBy: string;
}

export function insertCase(c: CaseInsert): Sql {
  return sql(
    `INSERT INTO disputes (case_no, category, risk_level, status, mediation_channel, reported_at, geom,
       village_code, town_code, station_id, summary, threat, injury, screening_item_id, reopened_from_id,
       state_entered_at, created_by)
     VALUES ($1, $2, $3, 'reported', $4, app_now(), ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, $8, $9, $10,
       $11, $12, $13, $14, app_now(), $15)
     RETURNING id`,
    [
      c.caseNo,
      c.category,
      c.riskLevel,
      c.channel,
      c.lon,
      c.lat,
      c.villageCode,
      c.townCode,
      c.stationId,
      c.summary,
      c.threat,
      c.injury,
      c.screeningItemId,
      c.reopenedFromId,
      c.createdBy,
    ],
  );
}

/** What a reopened case copies from the old one besides what the lock reads. */
export function caseForReopen(id: number): Sql {
  return sql(
    `SELECT risk_level, ST_X(geom) AS lon, ST_Y(geom) AS lat, summary, threat, injury FROM disputes WHERE id = $1`,
    [id],
  );
}

export function stationById(id: number): Sql {
  return sql('SELECT id, kind, town_code FROM stations WHERE id = $1', [id]);
}

/** The town's police station, which takes a case first when none is named (the fastest to respond). */
export function townPoliceStation(townCode: string): Sql {
  return sql(`SELECT id FROM stations WHERE town_code = $1 AND kind = 'police_station' ORDER BY id LIMIT 1`, [
    townCode,
  ]);
}

export function screeningItemExists(id: number): Sql {
  return sql('SELECT 1 FROM screening_items WHERE id = $1', [id]);
}

export interface AgreementInsert {
  disputeId: number;
  agreedOn: string;
  kind: string;
  followUpOn: string | null;
  note: string;
  actor: string;
}

export function insertAgreement(a: AgreementInsert): Sql {
  return sql(
    `INSERT INTO case_agreements (dispute_id, agreed_on, kind, follow_up_on, note, actor)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [a.disputeId, a.agreedOn, a.kind, a.followUpOn, a.note, a.actor],
  );
}
