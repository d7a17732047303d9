-- Disputes (矛盾纠纷): one row per case. Personal data of the parties is NOT here (see dispute_parties).
CREATE TABLE disputes (
  id                bigserial PRIMARY KEY,
  case_no           text NOT NULL UNIQUE,
  category          text NOT NULL CHECK (category IN ('neighbour', 'marriage_family', 'land_forest', 'medical',
                      'labour_wages', 'contract_debt', 'traffic_accident', 'property_management', 'other')),
  risk_level        text NOT NULL CHECK (risk_level IN ('red', 'orange', 'yellow', 'blue')),
  status            text NOT NULL CHECK (status IN ('reported', 'accepted', 'mediating', 'resolved', 'failed',
                      'referred')),
  mediation_channel text CHECK (mediation_channel IN ('peoples', 'public_security', 'joint')),
  resolution_level  text CHECK (resolution_level IN ('village', 'town', 'county')),
  referral_kind     text CHECK (referral_kind IN ('litigation', 'arbitration', 'public_security_case',
                      'criminal_case')),
  reported_at       timestamptz NOT NULL,
  accepted_at       timestamptz,
  resolved_at       timestamptz,
  geom              geometry(Point, 4326) NOT NULL,
  village_code      text REFERENCES admin_units (code),
  town_code         text NOT NULL REFERENCES admin_units (code),
  -- Set when the given village/town disagrees with the village polygon containing the point.
  location_mismatch boolean NOT NULL DEFAULT false,
  station_id        integer REFERENCES stations (id),
  summary           text NOT NULL DEFAULT '',
  -- Client-generated id (phone form, uploads): a re-sent report never creates a second case.
  client_id         uuid UNIQUE,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (accepted_at IS NULL OR accepted_at >= reported_at),
  CHECK (resolved_at IS NULL OR resolved_at >= reported_at),
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL) OR status IN ('failed', 'referred')),
  CHECK ((status = 'referred') = (referral_kind IS NOT NULL))
);
CREATE INDEX disputes_geom_idx ON disputes USING gist (geom);
CREATE INDEX disputes_town_status_idx ON disputes (town_code, status);
CREATE INDEX disputes_village_idx ON disputes (village_code);
CREATE INDEX disputes_reported_at_idx ON disputes (reported_at);
-- Open cases are few (hundreds) among tens of thousands: a partial index serves the unresolved layer.
CREATE INDEX disputes_open_idx ON disputes (reported_at) WHERE status IN ('reported', 'accepted', 'mediating');

-- Parties' personal data, apart from the case so that it can be protected, masked and audited on its own.
CREATE TABLE dispute_parties (
  id          bigserial PRIMARY KEY,
  dispute_id  bigint NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('applicant', 'respondent', 'other')),
  name        text NOT NULL,
  phone       text,
  id_number   text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dispute_parties_dispute_idx ON dispute_parties (dispute_id);

-- Every status change, handoff and note of a case, append-only.
CREATE TABLE case_events (
  id               bigserial PRIMARY KEY,
  dispute_id       bigint NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('created', 'transition', 'handoff', 'note')),
  from_status      text,
  to_status        text,
  actor            text NOT NULL,
  station_id       integer REFERENCES stations (id),
  to_station_id    integer REFERENCES stations (id),
  mediation_channel text CHECK (mediation_channel IN ('peoples', 'public_security', 'joint')),
  handling_level   text CHECK (handling_level IN ('village', 'town', 'county')),
  note             text NOT NULL DEFAULT '',
  occurred_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_dispute_idx ON case_events (dispute_id, occurred_at);
