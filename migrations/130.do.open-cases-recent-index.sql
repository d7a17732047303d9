-- Overdue counts per town (analytics/units, resolution-levels, unresolved at town level) are open − open cases
-- not yet overdue, and those are the open cases reported after app_now() − (the longest limit + 1 day): a range
-- at the end of this index, read without the table (index-only scan), so the count follows the last weeks'
-- intake, not the number of open cases in the table's history (server/db/queries/analytics.ts).
-- EXPLAIN (ANALYZE) at 1,000,000 disputes (70,128 open, 2,014 reported in the last 46 days before app_now()):
--   before (110's index, every open case visited, overdue as age > limit):    Bitmap Heap Scan, 70,128 rows  161 ms
--   after  (the open cases of the last 46 days only, this index):             see README "Benchmarks"
-- It has the key and predicate of disputes_open_idx (004), so it replaces it; disputes_open_age_idx (110) served
-- only the old count and goes too (one index fewer to maintain on every write).
CREATE INDEX disputes_open_recent_idx ON disputes (reported_at) INCLUDE (town_code, category)
  WHERE status IN ('reported', 'accepted', 'mediating');
DROP INDEX disputes_open_idx;
DROP INDEX disputes_open_age_idx;
