import type { Queryable } from '../../db/index.js';
import { reachPairs } from '../../db/queries/coverage.js';
import type { ServiceAreaMethod } from '../../domain/coverage/method.js';

/** Straight-line reach measured by the database on geography (the spheroid), like every coverage figure. */
export function straightLineInDb(db: Queryable): ServiceAreaMethod {
  return {
    id: 'straight_line',
    async reach(sites, demand, metres) {
      if (sites.length === 0 || demand.length === 0) return new Map();
      const q = reachPairs(
        { ids: sites.map((s) => s.id), lons: sites.map((s) => s.lon), lats: sites.map((s) => s.lat) },
        { ids: demand.map((d) => d.id), lons: demand.map((d) => d.lon), lats: demand.map((d) => d.lat) },
        metres,
      );
      const { rows } = await db.query<{ id: string; covers: string[] }>(q.text, q.values);
      return new Map(rows.map((r) => [r.id, r.covers]));
    },
  };
}
