import { calendarSegments } from '../../domain/calendar-segments.js';
import type { Sql } from '../types.js';
import { applyDisputeFilter, type DisputeFilter, sql, Where } from './filters.js';

export interface TownCounts {
  code: string;
  name: string;
  found: number;
  resolved: number;
  failed: number;
  referred: number;
  open: number;
  resolvedAtVillage: number;
  resolvedAtTown: number;
  /** Mean days from reported to resolved of the resolved cases (平均化解天数), one decimal; null when none. */
  meanDaysToResolve: number | null;
}

/**
 * Counts per town for the filter; towns with no matching dispute are listed with zeros (an empty result is a
 * valid answer). Rates are derived in `domain/kpis.ts`, so that both backends and the tests share one formula.
 */
export function townCounts(filter: DisputeFilter): Sql {
  return filter.village || filter.bbox || (filter.statuses && filter.statuses.length > 0)
    ? townCountsFromDisputes(filter)
    : townCountsFromRollup(filter);
}

/**
 * The WHERE of the dispute_counts rollup (alias `c`) for a filter's town, categories and dates: the date range
 * as whole years, months and loose days (`calendarSegments`). The caller checks that the filter has nothing else.
 */
export function rollupWhere(filter: DisputeFilter, where = new Where()): Where {
  const segments = calendarSegments(filter.from, filter.to).map(
    (s) =>
      `(c.grain = '${s.grain}' AND c.period BETWEEN ${where.param(s.first)}::date AND ${where.param(s.last)}::date)`,
  );
  where.add(segments.length > 0 ? `(${segments.join(' OR ')})` : 'false');
  if (filter.town) where.add(`c.town_code = ${where.param(filter.town)}`);
  if (filter.categories && filter.categories.length > 0) {
    where.add(`c.category = ANY(${where.param(filter.categories)}::text[])`);
  }
  return where;
}

/** The counts from the dispute_counts rollup (migration 070): town, category and dates only. */
export function townCountsFromRollup(filter: DisputeFilter): Sql {
  const where = rollupWhere(filter);
  return townsWith(
    `SELECT c.town_code, sum(c.found)::int AS found, sum(c.resolved)::int AS resolved,
            sum(c.failed)::int AS failed, sum(c.referred)::int AS referred, sum(c.open)::int AS open,
            sum(c.resolved_village)::int AS resolved_at_village, sum(c.resolved_town)::int AS resolved_at_town,
            sum(c.resolved_days) AS resolved_days
     FROM dispute_counts c ${where.toSql()}
     GROUP BY c.town_code`,
    where,
    filter,
  );
}

/** The counts read from the disputes themselves: any filter. */
export function townCountsFromDisputes(filter: DisputeFilter): Sql {
  const where = applyDisputeFilter(new Where(), filter);
  return townsWith(
    `SELECT d.town_code,
            count(*)::int AS found,
            count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved,
            count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
            count(*) FILTER (WHERE d.status = 'referred')::int AS referred,
            count(*) FILTER (WHERE d.status IN ('reported', 'accepted', 'mediating'))::int AS open,
            count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'village')::int
              AS resolved_at_village,
            count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'town')::int AS resolved_at_town,
            coalesce(sum(extract(epoch FROM d.resolved_at - d.reported_at) / 86400)
                       FILTER (WHERE d.status = 'resolved' AND d.resolved_at IS NOT NULL), 0)::float8 AS resolved_days
     FROM disputes d ${where.toSql()}
     GROUP BY d.town_code`,
    where,
    filter,
  );
}

/** Every town (or the filter's one), with `counts` (town_code + the count columns) joined on, zeros for none. */
function townsWith(counts: string, where: Where, filter: DisputeFilter): Sql {
  const townWhere = new Where(where.values).add(`t.level = 'town'`);
  if (filter.town) townWhere.add(`t.code = ${townWhere.param(filter.town)}`);
  return sql(
    `WITH counts AS (${counts})
     SELECT t.code, t.name,
            coalesce(c.found, 0) AS found, coalesce(c.resolved, 0) AS resolved,
            coalesce(c.failed, 0) AS failed, coalesce(c.referred, 0) AS referred, coalesce(c.open, 0) AS open,
            coalesce(c.resolved_at_village, 0) AS "resolvedAtVillage",
            coalesce(c.resolved_at_town, 0) AS "resolvedAtTown",
            CASE WHEN c.resolved > 0 THEN round((c.resolved_days / c.resolved)::numeric, 1)::float8 END
              AS "meanDaysToResolve"
     FROM admin_units t LEFT JOIN counts c ON c.town_code = t.code
     ${townWhere.toSql()}
     ORDER BY t.code`,
    where.values,
  );
}
