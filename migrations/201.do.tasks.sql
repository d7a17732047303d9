-- Dispatch and supervision (交办 / 督办 / 销号, issue 16): a task handed by a county or town user to a station
-- (a police station, judicial office, joint mediation room…) or to a field screener, about a village, a case, a
-- warning or a hot-spot cell, with a due date; its every step in task_events. The legal moves are the pure state
-- machine of server/domain/tasks/state-machine.ts; the CHECKs below keep the stored rows consistent with it.
CREATE TABLE tasks (
  id                  bigserial PRIMARY KEY,
  action              text NOT NULL CHECK (action IN ('verify', 'visit', 'mediate', 'rescreen', 'report_back')),
  subject_kind        text NOT NULL CHECK (subject_kind IN ('village', 'case', 'warning', 'cell')),
  town_code           text NOT NULL REFERENCES admin_units (code),
  village_code        text REFERENCES admin_units (code),
  dispute_id          bigint REFERENCES disputes (id) ON DELETE CASCADE,
  -- No foreign key: the warnings table belongs to another feature (and a task outlives a dismissed warning).
  warning_id          bigint,
  -- A hot-spot cell: its stored id at one of the hex sizes of migration 120.
  cell_id             bigint,
  cell_size           integer CHECK (cell_size IN (250, 400, 600, 1000, 1650, 2700, 4500, 7500)),
  -- Where "go to" lands on the map: the case's point, the village's label point, the cell's centre.
  geom                geometry(Point, 4326) NOT NULL,
  assignee_kind       text NOT NULL CHECK (assignee_kind IN ('station', 'screener')),
  assignee_station_id integer REFERENCES stations (id),
  assignee_account_id bigint REFERENCES accounts (id),
  instructions        text NOT NULL DEFAULT '' CHECK (length(instructions) <= 2000),
  due_on              date NOT NULL,
  status              text NOT NULL DEFAULT 'assigned'
                      CHECK (status IN ('assigned', 'accepted', 'reported', 'sent_back', 'closed')),
  version             integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  assigned_by_id      bigint REFERENCES accounts (id) ON DELETE SET NULL,
  assigned_by_name    text NOT NULL CHECK (length(assigned_by_name) BETWEEN 1 AND 60),
  -- The assigner's level decides whom an overdue task escalates to (a town officer's superior is the county).
  assigned_by_role    text NOT NULL CHECK (assigned_by_role IN ('admin', 'leader', 'town_officer')),
  report_note         text CHECK (length(report_note) <= 2000),
  report_geom         geometry(Point, 4326),
  created_at          timestamptz NOT NULL DEFAULT app_now(),
  accepted_at         timestamptz,
  reported_at         timestamptz,
  closed_at           timestamptz,
  -- 督办: the last day a reminder went out, and when the task went up to the assigner's superior.
  reminded_on         date,
  escalated_at        timestamptz,
  -- A retried create (the client's key) returns the first task instead of making a second.
  client_key          uuid UNIQUE,
  -- Demo tasks are synthetic and say so.
  demo                boolean NOT NULL DEFAULT false,
  CHECK ((assignee_kind = 'station') = (assignee_station_id IS NOT NULL)),
  CHECK ((assignee_kind = 'screener') = (assignee_account_id IS NOT NULL)),
  CHECK (village_code IS NULL OR left(village_code, 9) = town_code),
  CHECK (subject_kind <> 'village' OR village_code IS NOT NULL),
  CHECK (subject_kind <> 'case' OR dispute_id IS NOT NULL),
  CHECK (subject_kind <> 'warning' OR warning_id IS NOT NULL),
  CHECK ((subject_kind = 'cell') = (cell_id IS NOT NULL AND cell_size IS NOT NULL)),
  CHECK (status <> 'closed' OR closed_at IS NOT NULL),
  CHECK (status NOT IN ('reported', 'closed') OR reported_at IS NOT NULL)
);
CREATE INDEX tasks_open_due_idx ON tasks (due_on) WHERE status <> 'closed';
CREATE INDEX tasks_town_idx ON tasks (town_code, created_at DESC);
CREATE INDEX tasks_station_idx ON tasks (assignee_station_id) WHERE assignee_station_id IS NOT NULL;
CREATE INDEX tasks_account_idx ON tasks (assignee_account_id) WHERE assignee_account_id IS NOT NULL;
CREATE INDEX tasks_dispute_idx ON tasks (dispute_id) WHERE dispute_id IS NOT NULL;
CREATE INDEX tasks_geom_idx ON tasks USING gist (geom);

-- Every step of a task: created, accepted, reported, closed, sent back, reminded, escalated. Append-only.
CREATE TABLE task_events (
  id          bigserial PRIMARY KEY,
  task_id     bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('created', 'accepted', 'reported', 'closed', 'sent_back', 'reminded',
                                            'escalated')),
  from_status text,
  to_status   text,
  -- NULL actor: the scheduler (reminders and escalations).
  actor_id    bigint REFERENCES accounts (id) ON DELETE SET NULL,
  actor_name  text NOT NULL,
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  at          timestamptz NOT NULL DEFAULT app_now()
);
CREATE INDEX task_events_task_idx ON task_events (task_id, id);
-- One reminder per task and day, one escalation per task, however often the job runs.
CREATE UNIQUE INDEX task_events_once_idx ON task_events (task_id, kind, (details ->> 'day'))
  WHERE kind IN ('reminded', 'escalated');

-- Days past the due date after which an overdue task goes up to the assigner's superior (督办).
INSERT INTO app_settings (key, value) VALUES ('task_escalate_after_days', '3') ON CONFLICT (key) DO NOTHING;
