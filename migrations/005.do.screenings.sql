-- Upload batches: one per phone submission or bulk file; the idempotency key makes a re-sent batch land once.
CREATE TABLE upload_batches (
  id               bigserial PRIMARY KEY,
  idempotency_key  text UNIQUE,
  file_name        text,
  format           text NOT NULL CHECK (format IN ('form', 'csv', 'xlsx', 'geojson')),
  encoding         text,
  crs              text NOT NULL DEFAULT 'wgs84' CHECK (crs IN ('wgs84', 'cgcs2000', 'gcj02', 'bd09')),
  uploaded_by      text NOT NULL,
  uploaded_at      timestamptz NOT NULL DEFAULT now(),
  rows_total       integer NOT NULL DEFAULT 0,
  rows_accepted    integer NOT NULL DEFAULT 0,
  rows_rejected    integer NOT NULL DEFAULT 0,
  report           jsonb NOT NULL DEFAULT '[]'::jsonb
);

-- Screenings (隐患排查): a canvass of a village on a date; a zero report (零报告) has no items.
CREATE TABLE screenings (
  id            bigserial PRIMARY KEY,
  client_id     uuid NOT NULL UNIQUE,
  village_code  text NOT NULL REFERENCES admin_units (code),
  town_code     text NOT NULL REFERENCES admin_units (code),
  screened_on   date NOT NULL,
  screener      text NOT NULL,
  geom          geometry(Point, 4326),
  zero_report   boolean NOT NULL DEFAULT false,
  batch_id      bigint REFERENCES upload_batches (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX screenings_geom_idx ON screenings USING gist (geom);
CREATE INDEX screenings_village_idx ON screenings (village_code, screened_on);

CREATE TABLE screening_items (
  id            bigserial PRIMARY KEY,
  screening_id  bigint NOT NULL REFERENCES screenings (id) ON DELETE CASCADE,
  category      text NOT NULL CHECK (category IN ('neighbour', 'marriage_family', 'land_forest', 'medical',
                  'labour_wages', 'contract_debt', 'traffic_accident', 'property_management', 'other')),
  risk_level    text NOT NULL CHECK (risk_level IN ('red', 'orange', 'yellow', 'blue')),
  note          text NOT NULL DEFAULT ''
);
CREATE INDEX screening_items_screening_idx ON screening_items (screening_id);
