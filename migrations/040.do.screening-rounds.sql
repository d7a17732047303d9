-- Screening rounds (隐患排查 as a duty): a round expects one report from every village in scope by its due date —
-- risks found (items) or an explicit zero report (零报告); no report by the due date is overdue.
CREATE TABLE screening_rounds (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind        text NOT NULL CHECK (kind IN ('monthly', 'special')),
  starts_on   date NOT NULL,
  due_on      date NOT NULL CHECK (due_on >= starts_on),
  -- The towns in scope; NULL means every village of the county.
  town_codes  text[],
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Batches: whether the valid part was stored or (all-or-nothing) the whole batch was refused, and re-sent rows.
ALTER TABLE upload_batches
  ADD COLUMN status         text NOT NULL DEFAULT 'stored' CHECK (status IN ('stored', 'rejected')),
  ADD COLUMN all_or_nothing boolean NOT NULL DEFAULT false,
  ADD COLUMN rows_duplicate integer NOT NULL DEFAULT 0,
  ADD COLUMN round_id       bigint REFERENCES screening_rounds (id),
  ADD COLUMN file_sha256    text;

ALTER TABLE screenings
  ADD COLUMN round_id          bigint REFERENCES screening_rounds (id),
  -- Set when the named village disagrees with the village polygon containing the point (flagged, not moved).
  ADD COLUMN location_mismatch boolean NOT NULL DEFAULT false,
  -- A screened area from a GeoJSON upload; geom is then its point on surface.
  ADD COLUMN area              geometry(MultiPolygon, 4326);
CREATE INDEX screenings_round_idx ON screenings (round_id, village_code);
CREATE INDEX screenings_batch_idx ON screenings (batch_id);
