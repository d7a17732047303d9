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
}

/**
 * Counts per town for the filter; towns with no matching dispute are listed with zeros (an empty result is a
 * valid answer). Rates are derived in `domain/kpis.ts`, so that both backends and the tests share one formula.
 */
export function townCounts(filter: DisputeFilter): Sql {
  const where = applyDisputeFilter(new Where(), filter);
  const townWhere = new Where(where.values).add(`t.level = 'town'`);
  if (filter.town) townWhere.add(`t.code = ${townWhere.param(filter.town)}`);
  return sql(
    `WITH counts AS (
       SELECT d.town_code,
              count(*)::int AS found,
              count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved,
              count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE d.status = 'referred')::int AS referred,
              count(*) FILTER (WHERE d.status IN ('reported', 'accepted', 'mediating'))::int AS open,
              count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'village')::int
                AS resolved_at_village,
              count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'town')::int AS resolved_at_town
       FROM disputes d ${where.toSql()}
       GROUP BY d.town_code
     )
     SELECT t.code, t.name,
            coalesce(c.found, 0) AS found, coalesce(c.resolved, 0) AS resolved,
            coalesce(c.failed, 0) AS failed, coalesce(c.referred, 0) AS referred, coalesce(c.open, 0) AS open,
            coalesce(c.resolved_at_village, 0) AS "resolvedAtVillage",
            coalesce(c.resolved_at_town, 0) AS "resolvedAtTown"
     FROM admin_units t LEFT JOIN counts c ON c.town_code = t.code
     ${townWhere.toSql()}
     ORDER BY t.code`,
    where.values,
  );
}
