-- The register of mediators and staff (issue 18): people's mediators, judicial assistants stationed in the joint
-- mediation rooms (驻所司法助理员), police officers working in a room and specialist mediators. Names are personal
-- data like parties' (AES-256-GCM in the application, see server/domain/personal-data.ts): only ciphertexts here.
CREATE TABLE mediators (
  id                       bigserial PRIMARY KEY,
  name_enc                 text NOT NULL CHECK (name_enc ~ '^pd1:[0-9a-f]{8}:'),
  kind                     text NOT NULL CHECK (kind IN ('peoples_mediator', 'judicial_assistant', 'police_officer',
                                                         'specialist_mediator')),
  -- What they serve: a station (joint mediation room, judicial office, police station) or a village's people's
  -- mediation committee (村调委会, which the demo's stations table does not hold as a point of its own).
  station_id               integer REFERENCES stations (id),
  village_code             text REFERENCES admin_units (code),
  -- The serving town, kept from the station or village by the application: every scoped read filters on it.
  town_code                text NOT NULL REFERENCES admin_units (code),
  appointment_no           text CHECK (length(appointment_no) BETWEEN 1 AND 40),
  appointed_by             text CHECK (length(appointed_by) BETWEEN 1 AND 100),
  appointed_from           date,
  appointed_to             date,
  qualification            text CHECK (length(qualification) BETWEEN 1 AND 100),
  qualification_expires_on date,
  active                   boolean NOT NULL DEFAULT true,
  synthetic                boolean NOT NULL DEFAULT false,
  version                  integer NOT NULL DEFAULT 1,
  created_by               text NOT NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(station_id, village_code) = 1),
  CHECK (appointed_to IS NULL OR appointed_from IS NULL OR appointed_to >= appointed_from),
  CHECK (appointment_no IS NULL OR appointed_from IS NOT NULL)
);
-- One 聘书 number per committee (or room): the committee is the station or the village.
CREATE UNIQUE INDEX mediators_appointment_key
  ON mediators (coalesce(station_id::text, village_code), appointment_no) WHERE appointment_no IS NOT NULL;
CREATE INDEX mediators_town_idx ON mediators (town_code);
CREATE INDEX mediators_station_idx ON mediators (station_id) WHERE station_id IS NOT NULL;

CREATE TABLE mediator_trainings (
  id          bigserial PRIMARY KEY,
  mediator_id bigint NOT NULL REFERENCES mediators (id) ON DELETE CASCADE,
  trained_on  date NOT NULL,
  hours       numeric(5, 1) NOT NULL CHECK (hours > 0 AND hours <= 200),
  course      text NOT NULL CHECK (length(course) BETWEEN 1 AND 200),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mediator_trainings_mediator_idx ON mediator_trainings (mediator_id, trained_on);

-- Who mediated a case (one or more).
CREATE TABLE case_mediators (
  dispute_id  bigint NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
  mediator_id bigint NOT NULL REFERENCES mediators (id),
  added_by    text NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dispute_id, mediator_id)
);
CREATE INDEX case_mediators_mediator_idx ON case_mediators (mediator_id);

-- The county's yearly training hours per mediator, and how close an expiry must be to be listed: settings.
INSERT INTO app_settings (key, value) VALUES ('mediator_training_hours_per_year', '24'),
  ('mediator_expiry_warning_days', '60')
  ON CONFLICT (key) DO NOTHING;
