import type { LadderSize } from '../../domain/stats/hexgrid.js';
import type { Sql } from '../types.js';
import { applyDisputeFilter, type DisputeFilter, sql, Where } from './filters.js';
import { rollupWhere } from './summary.js';
import { statusGroup } from './tiles.js';

const OPEN = `('reported', 'accepted', 'mediating')`;
const LOCAL = (column: string) => `(${column} AT TIME ZONE 'Asia/Shanghai')`;
/** The stored cell-id column of a ladder size (migration 120). */
const hexColumn = (size: LadderSize) => `hex_${size}`;

/**
 * A cell id (`hex_cell`, migration 120: q · 2³² + r) split back into q and r, once per group rather than per row.
 * The bigint arithmetic is exact for any |q|, |r| < 2³¹.
 */
const Q = `((c.h + 2147483648) >> 32)::int`;
const R = `(c.h - (((c.h + 2147483648) >> 32) << 32))::int`;

/** Whether `disputeHexCounts` reads `dispute_hex_counts` (migration 171): a status group or none, categories. */
export function hexCountsFromRollup(filter: DisputeFilter): boolean {
  return (
    !filter.town &&
    !filter.village &&
    !filter.bbox &&
    !filter.from &&
    !filter.to &&
    statusGroup(filter.statuses) !== null
  );
}

/**
 * Disputes per hexagon for the filter, split into (q, r) per group: from `dispute_hex_counts` (migration 171, kept
 * current on write) when the filter is one it holds, else one GROUP BY over the stored cell id of the ladder size
 * (`disputes.hex_<size>`, filled at insert). `source: 'disputes'` forces the latter (what the tests compare with).
 */
export function disputeHexCounts(
  filter: DisputeFilter,
  size: LadderSize,
  options: { source?: 'auto' | 'disputes' } = {},
): Sql {
  if (options.source !== 'disputes' && hexCountsFromRollup(filter)) {
    const where = new Where();
    where.add(`t.size = ${where.param(size)}`);
    const cats = filter.categories && filter.categories.length > 0 ? filter.categories : null;
    where.add(cats ? `t.category = ANY(${where.param(cats)}::text[])` : `t.category = ''`);
    const group = statusGroup(filter.statuses);
    if (group !== 'any') where.add(`t.open = ${where.param(group)}`);
    return sql(
      `SELECT ${Q} AS q, ${R} AS r, c.count FROM (
         SELECT t.h, sum(t.n)::int AS count FROM dispute_hex_counts t ${where.toSql()} GROUP BY 1 HAVING sum(t.n) > 0
       ) c`,
      where.values,
    );
  }
  const where = applyDisputeFilter(new Where(), filter);
  return sql(
    `SELECT ${Q} AS q, ${R} AS r, c.count FROM (
       SELECT d.${hexColumn(size)} AS h, count(*)::int AS count FROM disputes d ${where.toSql()} GROUP BY 1
     ) c`,
    where.values,
  );
}

/** Disputes per hexagon and calendar month (YYYY-MM, county time): the series of the emerging-hotspot test. */
export function disputeHexMonthlyCounts(filter: DisputeFilter, size: LadderSize): Sql {
  const where = applyDisputeFilter(new Where(), filter);
  return sql(
    `SELECT ${Q} AS q, ${R} AS r, c.month, c.count FROM (
       SELECT d.${hexColumn(size)} AS h, to_char(${LOCAL('d.reported_at')}, 'YYYY-MM') AS month, count(*)::int AS count
       FROM disputes d ${where.toSql()} GROUP BY 1, 2
     ) c`,
    where.values,
  );
}

export interface ScreeningFilter {
  town?: string;
  categories?: readonly string[];
  from?: string;
  to?: string;
}

/** Risk items found by screenings (隐患) per hexagon: the separate "hidden risks" layer. */
export function riskItemHexCounts(filter: ScreeningFilter, size: LadderSize): Sql {
  const where = new Where().add('s.geom IS NOT NULL');
  if (filter.town) where.add(`s.town_code = ${where.param(filter.town)}`);
  if (filter.categories?.length) where.add(`i.category = ANY(${where.param(filter.categories)}::text[])`);
  if (filter.from) where.add(`s.screened_on >= ${where.param(filter.from)}::date`);
  if (filter.to) where.add(`s.screened_on <= ${where.param(filter.to)}::date`);
  // Screenings have no stored ids (far fewer rows): the same hex_cell function, per request.
  return sql(
    `SELECT ${Q} AS q, ${R} AS r, c.count FROM (
       SELECT hex_cell(s.geom, ${where.param(size)}::float8) AS h, count(*)::int AS count
       FROM screening_items i JOIN visible_screenings s ON s.id = i.screening_id ${where.toSql()} GROUP BY 1
     ) c`,
    where.values,
  );
}

/** The extent of the county (or of one town): where the grid lies and what the study area covers. */
export function areaExtent(town: string | undefined): Sql {
  const where = new Where();
  if (town) where.add(`code = ${where.param(town)}`);
  else where.add(`level = 'county'`);
  return sql(
    `SELECT ST_XMin(e) AS "minLon", ST_YMin(e) AS "minLat", ST_XMax(e) AS "maxLon", ST_YMax(e) AS "maxLat"
     FROM (SELECT ST_Extent(geom)::geometry AS e FROM admin_units ${where.toSql()}) x WHERE e IS NOT NULL`,
    where.values,
  );
}

/**
 * Which of the candidate cell centres (parallel arrays q[], r[], lon[], lat[]) lie inside the county (or the
 * town): the study area of Gi*, empty cells included, so that "hot" means hot against the whole area.
 */
export function cellsInside(
  town: string | undefined,
  cells: { q: number[]; r: number[]; lon: number[]; lat: number[] },
): Sql {
  const where = new Where();
  const area = town
    ? `(SELECT geom FROM admin_units WHERE code = ${where.param(town)})`
    : `(SELECT geom FROM admin_units WHERE level = 'county')`;
  const q = where.param(cells.q);
  const r = where.param(cells.r);
  const lon = where.param(cells.lon);
  const lat = where.param(cells.lat);
  return sql(
    `SELECT c.q, c.r
     FROM unnest(${q}::int[], ${r}::int[], ${lon}::float8[], ${lat}::float8[]) AS c(q, r, lon, lat)
     JOIN ${area} a ON ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326))`,
    where.values,
  );
}

/** The county's "now" (app_now(), pinned for the demo) as a calendar month and day in county time. */
export function asOf(): Sql {
  return sql(
    `SELECT to_char(${LOCAL('app_now()')}, 'YYYY-MM') AS month, to_char(${LOCAL('app_now()')}, 'YYYY-MM-DD') AS day`,
    [],
  );
}

/**
 * Found per reporting month, resolved per resolution month, closed (any outcome) per closing month; per town, or
 * summed over the towns (`by` county, town null) in the database: the county series is a few hundred rows at any
 * table size, not one row per town and month.
 */
export function monthlyEvents(filter: DisputeFilter, by: 'county' | 'town' = 'town'): Sql {
  const { town, ...rest } = filter;
  if (Object.values(rest).every((v) => v === undefined || (Array.isArray(v) && v.length === 0))) {
    // No filter but a town: the dispute_month_events rollup (migration 071) answers it, summed per month first
    // for the county (a few dozen rows to unpivot, not one per town and month).
    const where = new Where();
    if (town) where.add(`c.town_code = ${where.param(town)}`);
    const events =
      by === 'town'
        ? `SELECT c.town_code AS town, c.month, c.found, c.resolved, c.closed
           FROM dispute_month_events c ${where.toSql()}`
        : `SELECT NULL::text AS town, c.month, sum(c.found)::int AS found, sum(c.resolved)::int AS resolved,
                  sum(c.closed)::int AS closed
           FROM dispute_month_events c ${where.toSql()} GROUP BY c.month`;
    return sql(
      `SELECT e.town, to_char(e.month, 'YYYY-MM') AS month, v.kind, v.count
       FROM (${events}) e
       CROSS JOIN LATERAL (VALUES ('found', e.found), ('resolved', e.resolved), ('closed', e.closed)) v (kind, count)
       WHERE v.count > 0`,
      where.values,
    );
  }
  const where = applyDisputeFilter(new Where(), filter);
  const w = where.toSql();
  // Failed and referred cases have no resolution time of their own in every row: they count as closed when
  // last touched (resolved_at, else accepted_at, else reported_at).
  return sql(
    `SELECT ${by === 'town' ? 'town' : 'NULL::text'} AS town, month, kind, count(*)::int AS count FROM (
       SELECT d.town_code AS town, to_char(${LOCAL('d.reported_at')}, 'YYYY-MM') AS month, 'found' AS kind
       FROM disputes d ${w}
       UNION ALL
       SELECT d.town_code, to_char(${LOCAL('d.resolved_at')}, 'YYYY-MM'), 'resolved'
       FROM disputes d ${w} ${w ? 'AND' : 'WHERE'} d.status = 'resolved'
       UNION ALL
       SELECT d.town_code, to_char(${LOCAL('coalesce(d.resolved_at, d.accepted_at, d.reported_at)')}, 'YYYY-MM'), 'closed'
       FROM disputes d ${w} ${w ? 'AND' : 'WHERE'} d.status IN ('resolved', 'failed', 'referred')
     ) e GROUP BY 1, 2, 3`,
    where.values,
  );
}

/** When disputes are reported: ISO weekday (1 = Monday) × hour, county time. */
export function weekdayHour(filter: DisputeFilter): Sql {
  const where = applyDisputeFilter(new Where(), filter);
  return sql(
    `SELECT extract(isodow FROM ${LOCAL('d.reported_at')})::int AS weekday,
            extract(hour FROM ${LOCAL('d.reported_at')})::int AS hour, count(*)::int AS count
     FROM disputes d ${where.toSql()} GROUP BY 1, 2`,
    where.values,
  );
}

export function categoryMix(filter: DisputeFilter): Sql {
  if (!filter.village && !filter.bbox && !(filter.statuses && filter.statuses.length > 0)) {
    // Town, category and dates only: the dispute_counts rollup (migration 070) answers it.
    const where = rollupWhere(filter);
    return sql(
      `SELECT c.category, sum(c.found)::int AS found, sum(c.resolved)::int AS resolved, sum(c.open)::int AS open
       FROM dispute_counts c ${where.toSql()} GROUP BY 1 HAVING sum(c.found) > 0 ORDER BY 2 DESC, 1`,
      where.values,
    );
  }
  const where = applyDisputeFilter(new Where(), filter);
  return sql(
    `SELECT d.category, count(*)::int AS found,
            count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved,
            count(*) FILTER (WHERE d.status IN ${OPEN})::int AS open
     FROM disputes d ${where.toSql()} GROUP BY 1 ORDER BY 2 DESC, 1`,
    where.values,
  );
}

const AGE = `floor(extract(epoch FROM app_now() - d.reported_at) / 86400)::int`;

/** Open cases with their age (days since reported, against app_now()) and the category's overdue limit. */
export function unresolvedCases(filter: DisputeFilter): Sql {
  const where = applyDisputeFilter(new Where(), filter).add(`d.status IN ${OPEN}`);
  return sql(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f.feature ORDER BY f.age DESC), '[]'::json))::text AS body
     FROM (
       SELECT ${AGE} AS age, json_build_object('type', 'Feature', 'id', d.id,
         'geometry', ST_AsGeoJSON(d.geom, 6)::json,
         'properties', json_build_object('id', d.id, 'caseNo', d.case_no, 'category', d.category,
           'riskLevel', d.risk_level, 'status', d.status, 'townCode', d.town_code, 'townName', t.name,
           'villageCode', d.village_code, 'villageName', v.name,
           'reportedAt', to_char(${LOCAL('d.reported_at')}, 'YYYY-MM-DD'),
           'ageDays', ${AGE}, 'limitDays', coalesce(l.days, 30),
           'overdue', ${AGE} > coalesce(l.days, 30))) AS feature
       FROM disputes d
       JOIN admin_units t ON t.code = d.town_code
       LEFT JOIN admin_units v ON v.code = d.village_code
       LEFT JOIN overdue_limits l ON l.category = d.category
       ${where.toSql()}
     ) f`,
    where.values,
  );
}

/**
 * unitCounts per town for town, category and date filters: the counts from the dispute_counts rollup (070); the
 * overdue ones (which depend on app_now()) as open − open cases not yet overdue. A case is not yet overdue while
 * its age in whole days is within its category's limit, i.e. it was reported after app_now() − (limit + 1) days:
 * those are the open cases of the last few weeks (at most the longest limit + 1 day), read through the partial
 * index of open cases by reporting time (disputes_open_recent_idx, 130), so the cost follows the recent intake and not
 * the table's history. EXPLAIN (ANALYZE) at 1,000,000 disputes (70,128 open): see README "Benchmarks".
 */
function townUnitCountsFromRollup(filter: DisputeFilter): Sql {
  const rollup = rollupWhere(filter);
  const open = applyDisputeFilter(new Where(rollup.values), filter).add(`d.status IN ${OPEN}`);
  const units = new Where(rollup.values).add(`u.level = 'town'`);
  if (filter.town) units.add(`u.code = ${units.param(filter.town)}`);
  // Ages in whole days of 86,400 s (as AGE), so whatever the session's time zone, daylight saving changes nothing.
  const within = (days: string) => `make_interval(secs => 86400 * (${days} + 1))`;
  return sql(
    `WITH counts AS (
       SELECT c.town_code AS code, sum(c.found)::int AS found, sum(c.resolved)::int AS resolved,
              sum(c.failed)::int AS failed, sum(c.referred)::int AS referred, sum(c.open)::int AS open,
              sum(c.resolved_village)::int AS "resolvedAtVillage", sum(c.resolved_town)::int AS "resolvedAtTown"
       FROM dispute_counts c ${rollup.toSql()}
       GROUP BY 1
     ),
     -- app_now() once, not per row; the earliest report that can still be within its limit (the longest limit,
     -- 30 days for a category without one) bounds the index range.
     now AS MATERIALIZED (
       SELECT n.t, n.t - ${within('greatest(30, (SELECT max(days) FROM overdue_limits))')} AS earliest
       FROM (SELECT app_now() AS t) n
     ),
     fresh AS (
       SELECT d.town_code AS code, count(*)::int AS fresh
       FROM disputes d LEFT JOIN overdue_limits l ON l.category = d.category
       ${open
         .add('d.reported_at > (SELECT earliest FROM now)')
         .add(`d.reported_at > (SELECT t FROM now) - ${within('coalesce(l.days, 30)')}`)
         .toSql()}
       GROUP BY 1
     )
     SELECT u.code, u.name, u.parent_code AS "parentCode",
            coalesce(c.found, 0) AS found, coalesce(c.resolved, 0) AS resolved, coalesce(c.failed, 0) AS failed,
            coalesce(c.referred, 0) AS referred, coalesce(c.open, 0) AS open,
            coalesce(c.open, 0) - coalesce(f.fresh, 0) AS overdue,
            coalesce(c."resolvedAtVillage", 0) AS "resolvedAtVillage",
            coalesce(c."resolvedAtTown", 0) AS "resolvedAtTown"
     FROM admin_units u LEFT JOIN counts c ON c.code = u.code LEFT JOIN fresh f ON f.code = u.code
     ${units.toSql()}
     ORDER BY u.code`,
    rollup.values,
  );
}

/** Counts per town or per village (of one town): found, resolved, open, overdue, resolution levels. */
export function unitCounts(filter: DisputeFilter, level: 'town' | 'village'): Sql {
  if (level === 'town' && !filter.village && !filter.bbox && !(filter.statuses && filter.statuses.length > 0)) {
    return townUnitCountsFromRollup(filter);
  }
  const where = applyDisputeFilter(new Where(), filter);
  const column = level === 'town' ? 'd.town_code' : 'd.village_code';
  const units = new Where(where.values).add(`u.level = ${where.param(level)}`);
  if (filter.town)
    units.add(
      level === 'town' ? `u.code = ${units.param(filter.town)}` : `u.parent_code = ${units.param(filter.town)}`,
    );
  if (filter.village) units.add(`u.code = ${units.param(filter.village)}`);
  return sql(
    `WITH counts AS (
       SELECT ${column} AS code, count(*)::int AS found,
              count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved,
              count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE d.status = 'referred')::int AS referred,
              count(*) FILTER (WHERE d.status IN ${OPEN})::int AS open,
              count(*) FILTER (WHERE d.status IN ${OPEN} AND ${AGE} > coalesce(l.days, 30))::int AS overdue,
              count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'village')::int
                AS "resolvedAtVillage",
              count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'town')::int AS "resolvedAtTown"
       FROM disputes d LEFT JOIN overdue_limits l ON l.category = d.category
       ${where.toSql()}
       GROUP BY 1
     )
     SELECT u.code, u.name, u.parent_code AS "parentCode",
            coalesce(c.found, 0) AS found, coalesce(c.resolved, 0) AS resolved, coalesce(c.failed, 0) AS failed,
            coalesce(c.referred, 0) AS referred, coalesce(c.open, 0) AS open, coalesce(c.overdue, 0) AS overdue,
            coalesce(c."resolvedAtVillage", 0) AS "resolvedAtVillage",
            coalesce(c."resolvedAtTown", 0) AS "resolvedAtTown"
     FROM admin_units u LEFT JOIN counts c ON c.code = u.code
     ${units.toSql()}
     ORDER BY u.code`,
    where.values,
  );
}

/** A case's audit trail (case_events) with its own timestamps, for the timeline when there are no events. */
export function caseHistory(id: number): Sql {
  return sql(
    `SELECT d.id, d.case_no AS "caseNo", d.status,
            to_char(${LOCAL('d.reported_at')}, 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS "reportedAt",
            to_char(${LOCAL('d.accepted_at')}, 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS "acceptedAt",
            to_char(${LOCAL('d.resolved_at')}, 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS "resolvedAt",
            coalesce((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'fromStatus', e.from_status,
                        'toStatus', e.to_status, 'actor', e.actor, 'note', e.note,
                        'occurredAt', to_char(${LOCAL('e.occurred_at')}, 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'))
                        ORDER BY e.occurred_at, e.id)
                      FROM case_events e WHERE e.dispute_id = d.id), '[]'::json) AS events
     FROM disputes d WHERE d.id = $1`,
    [id],
  );
}
