-- A large upload on the embedded database is committed in chunks (issue 21), so that its one connection is free
-- for other requests between two of them. Until its last chunk the batch is 'storing', and its rows are not
-- visible: readers of screenings read `visible_screenings`. A batch left 'storing' by a stopped process is
-- removed at the next start (server/bootstrap.ts). The PostGIS server stores every upload in one transaction
-- and never writes 'storing'; the view costs it one hashed lookup per row in an empty set.
ALTER TABLE upload_batches DROP CONSTRAINT upload_batches_status_check;
ALTER TABLE upload_batches ADD CONSTRAINT upload_batches_status_check
  CHECK (status IN ('storing', 'stored', 'rejected'));
CREATE INDEX upload_batches_storing_idx ON upload_batches (id) WHERE status = 'storing';

CREATE VIEW visible_screenings AS
  SELECT s.*
  FROM screenings s
  WHERE s.batch_id IS NULL
     OR s.batch_id NOT IN (SELECT b.id FROM upload_batches b WHERE b.status = 'storing');
