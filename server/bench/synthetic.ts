import type { Sql } from '../db/types.js';
import { disputeCategories } from '../domain/vocabulary.js';

/**
 * `n` synthetic disputes with ids after `afterId`, made in SQL with generate_series (a million in well under a
 * minute): spread over the county's bounding box, a third of them packed around the county seat as real cases
 * are, on low-discrepancy sequences so that every run makes the same rows. Benchmarks and the streaming test
 * use them; never the demo seed. Each row is consistent with the table's checks (status ⇔ dates).
 */
export function syntheticDisputes(afterId: number, n: number, prefix = 'SYN'): Sql {
  const categories = `ARRAY[${disputeCategories.map((c) => `'${c}'`).join(', ')}]`;
  return {
    text: `
      WITH towns AS (SELECT array_agg(code ORDER BY code) AS codes FROM admin_units WHERE level = 'town'),
      g AS (
        SELECT i, (i * 0.6180339887498949) % 1 AS u, (i * 0.7548776662466927) % 1 AS v,
               (i * 0.5698402909980532) % 1 AS w
        FROM generate_series(1, $2::int) i
      )
      INSERT INTO disputes (id, case_no, category, risk_level, status, mediation_channel, resolution_level,
                            reported_at, accepted_at, resolved_at, geom, town_code, summary)
      SELECT $1::bigint + g.i, $3::text || '-' || ($1::bigint + g.i),
             (${categories})[1 + (g.i % ${disputeCategories.length})],
             (ARRAY['red', 'orange', 'yellow', 'blue'])[1 + ((g.i * 7) % 13) / 4],
             CASE WHEN g.i % 10 = 0 THEN 'mediating' ELSE 'resolved' END,
             'joint', CASE WHEN g.i % 10 = 0 THEN NULL ELSE 'village' END,
             timestamptz '2018-01-01 00:00+08' + g.w * interval '5 years',
             timestamptz '2018-01-01 00:00+08' + g.w * interval '5 years' + interval '2 hours',
             CASE WHEN g.i % 10 = 0 THEN NULL
                  ELSE timestamptz '2018-01-01 00:00+08' + g.w * interval '5 years' + interval '3 days' END,
             CASE WHEN g.i % 3 = 0
                  THEN ST_SetSRID(ST_MakePoint(111.758 + (g.u - 0.5) * 0.08, 29.633 + (g.v - 0.5) * 0.06), 4326)
                  ELSE ST_SetSRID(ST_MakePoint(111.25 + g.u * 0.8, 29.47 + g.v * 0.46), 4326) END,
             towns.codes[1 + (g.i % array_length(towns.codes, 1))],
             ''
      FROM g, towns`,
    values: [afterId, n, prefix],
  };
}
