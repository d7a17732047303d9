-- Joint meetings and work meetings (联席会议 / 工作例会, issue 18): of a town (town_code) or the county (NULL),
-- with attendees from the register or accounts, the cases discussed, decisions and minutes.
CREATE TABLE joint_meetings (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('joint_meeting', 'work_meeting')),
  held_on     date NOT NULL,
  town_code   text REFERENCES admin_units (code),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  minutes     text NOT NULL DEFAULT '' CHECK (length(minutes) <= 20000),
  client_key  uuid UNIQUE,
  synthetic   boolean NOT NULL DEFAULT false,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX joint_meetings_town_idx ON joint_meetings (town_code, held_on);

CREATE TABLE meeting_attendees (
  id          bigserial PRIMARY KEY,
  meeting_id  bigint NOT NULL REFERENCES joint_meetings (id) ON DELETE CASCADE,
  mediator_id bigint REFERENCES mediators (id),
  account_id  bigint REFERENCES accounts (id),
  CHECK (num_nonnulls(mediator_id, account_id) = 1)
);
CREATE UNIQUE INDEX meeting_attendees_mediator_key ON meeting_attendees (meeting_id, mediator_id)
  WHERE mediator_id IS NOT NULL;
CREATE UNIQUE INDEX meeting_attendees_account_key ON meeting_attendees (meeting_id, account_id)
  WHERE account_id IS NOT NULL;

CREATE TABLE meeting_cases (
  meeting_id bigint NOT NULL REFERENCES joint_meetings (id) ON DELETE CASCADE,
  dispute_id bigint NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
  PRIMARY KEY (meeting_id, dispute_id)
);
CREATE INDEX meeting_cases_dispute_idx ON meeting_cases (dispute_id);

-- A decision names the station that carries it out; it becomes a task when the task service exists.
CREATE TABLE meeting_decisions (
  id          bigserial PRIMARY KEY,
  meeting_id  bigint NOT NULL REFERENCES joint_meetings (id) ON DELETE CASCADE,
  position    integer NOT NULL CHECK (position >= 1),
  text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  station_id  integer REFERENCES stations (id),
  due_on      date,
  dispute_id  bigint REFERENCES disputes (id),
  UNIQUE (meeting_id, position)
);

-- How often a town is expected to meet: 'month' or 'quarter'; regularity counts the periods with a meeting.
INSERT INTO app_settings (key, value) VALUES ('joint_meeting_expected_every', 'month') ON CONFLICT (key) DO NOTHING;
