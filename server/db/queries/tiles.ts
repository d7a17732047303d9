import type { VectorTileRequest } from '../tiles.js';
import { applyDisputeFilter, type DisputeFilter, sql, Where } from './filters.js';

/** Disputes as tile features: the same filter as the list and the summary, a few properties for styling. */
export function disputeTile(filter: DisputeFilter, z: number, x: number, y: number): VectorTileRequest {
  const where = applyDisputeFilter(new Where(), filter);
  return {
    layer: 'disputes',
    z,
    x,
    y,
    features: sql(
      `SELECT d.geom, d.id::int AS id, d.category, d.risk_level AS "riskLevel", d.status, d.town_code AS "townCode"
       FROM disputes d ${where.toSql()}`,
      where.values,
    ),
    properties: ['id', 'category', 'riskLevel', 'status', 'townCode'],
  };
}
