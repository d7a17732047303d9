import type { Sql } from '../types.js';

/**
 * Recent upload batches a caller may see (issue 8): the county's roles all of them; field screeners the batches
 * they uploaded; town officers and station staff theirs and those whose screenings all lie in their towns (the
 * same rule as one batch's scope check in server/plugins/auth.ts).
 */
export function scopedRecentBatches(
  limit: number,
  caller: { accountId: number | null; towns: readonly string[] | null; screener: boolean },
): Sql {
  return {
    text: `SELECT id, idempotency_key, file_name, format, encoding, crs, uploaded_by, uploaded_at, rows_total,
             rows_accepted, rows_rejected, rows_duplicate, status, all_or_nothing, round_id
           FROM upload_batches b
           WHERE idempotency_key IS DISTINCT FROM 'demo-seed' AND status <> 'storing'
             AND ($2::text[] IS NULL
                  OR b.uploaded_by_id = $3
                  OR (NOT $4::boolean
                      AND EXISTS (SELECT 1 FROM screenings s WHERE s.batch_id = b.id)
                      AND NOT EXISTS (SELECT 1 FROM screenings s WHERE s.batch_id = b.id
                                      AND NOT (s.town_code = ANY ($2::text[])))))
           ORDER BY id DESC LIMIT $1`,
    values: [limit, caller.towns, caller.accountId, caller.screener],
  };
}
