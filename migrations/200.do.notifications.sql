-- Information sharing (信息互通, issue 16): events, who receives which kind (a rule table the county
-- administrator edits), and one row per recipient. Delivery to open pages goes through NOTIFY on the channel
-- 'ljm_notifications' (payload: the event id), sent inside the publishing transaction, so it leaves only on commit.

-- The event kinds that can be published. Other features add theirs with a migration of their own.
CREATE TABLE notification_kinds (
  kind        text PRIMARY KEY CHECK (kind ~ '^[a-z_]+(\.[a-z_]+)+$'),
  -- 'case' | 'screening' | 'task' | 'warning' …: the web groups and filters by it.
  family      text NOT NULL CHECK (family ~ '^[a-z_]+$'),
  sort_order  integer NOT NULL DEFAULT 0
);

INSERT INTO notification_kinds (kind, family, sort_order) VALUES
  ('case.created', 'case', 10),
  ('case.changed', 'case', 11),
  ('case.handoff', 'case', 12),
  ('screening.high_risk', 'screening', 20),
  ('task.assigned', 'task', 30),
  ('task.accepted', 'task', 31),
  ('task.reported', 'task', 32),
  ('task.closed', 'task', 33),
  ('task.sent_back', 'task', 34),
  ('task.overdue', 'task', 35),
  ('task.escalated', 'task', 36),
  ('warning.raised', 'warning', 40);

-- Who receives which kind: role × kind × audience. The audiences (server/domain/notifications/audiences.ts):
--   county               county-wide accounts (administrator, leader), for county-level events only
--   town                 accounts of the event's town (a town officer; station staff of any station there)
--   station              staff of the station the event names (a case's handling station, a task's assignee)
--   town_room            staff of the town's joint mediation room(s)
--   town_judicial_office staff of the town's judicial office
--   town_police_station  staff of the town's police station
--   villages             field screeners who report for the event's village
--   addressed            accounts the event names itself (a task's assigner, its screener, the superior)
-- Whatever the rules say, nobody outside the event's scope receives it (the fan-out query checks scope too).
CREATE TABLE notification_rules (
  kind      text NOT NULL REFERENCES notification_kinds (kind) ON DELETE CASCADE,
  role      text NOT NULL CHECK (role IN ('admin', 'leader', 'town_officer', 'station_staff', 'screener')),
  audience  text NOT NULL CHECK (audience IN ('county', 'town', 'station', 'town_room', 'town_judicial_office',
                                              'town_police_station', 'villages', 'addressed')),
  PRIMARY KEY (kind, role, audience),
  -- The combinations that mean something (a town officer has no station, a screener no town-wide view).
  CHECK (
    (role IN ('admin', 'leader') AND audience IN ('county', 'addressed'))
    OR (role = 'town_officer' AND audience IN ('town', 'addressed'))
    OR (role = 'station_staff' AND audience IN ('town', 'station', 'town_room', 'town_judicial_office',
                                                'town_police_station', 'addressed'))
    OR (role = 'screener' AND audience IN ('villages', 'addressed'))
  )
);

-- Defaults: a case or a high-risk screening concerns the town's joint mediation room and judicial office, the
-- handling station and the town officer; county-level events (a red case, a warning, an escalation) also the
-- county roles. Task steps go to the other side of the task.
INSERT INTO notification_rules (kind, role, audience)
SELECT k.kind, r.role, r.audience
FROM (VALUES ('case.created'), ('case.changed'), ('case.handoff'), ('screening.high_risk')) AS k (kind)
CROSS JOIN (VALUES ('town_officer', 'town'), ('station_staff', 'town_room'), ('station_staff', 'town_judicial_office'),
                   ('station_staff', 'station'), ('admin', 'county'), ('leader', 'county')) AS r (role, audience);
INSERT INTO notification_rules (kind, role, audience) VALUES
  ('task.assigned', 'station_staff', 'station'),
  ('task.assigned', 'screener', 'addressed'),
  ('task.accepted', 'admin', 'addressed'),
  ('task.accepted', 'leader', 'addressed'),
  ('task.accepted', 'town_officer', 'addressed'),
  ('task.reported', 'admin', 'addressed'),
  ('task.reported', 'leader', 'addressed'),
  ('task.reported', 'town_officer', 'addressed'),
  ('task.closed', 'station_staff', 'station'),
  ('task.closed', 'screener', 'addressed'),
  ('task.sent_back', 'station_staff', 'station'),
  ('task.sent_back', 'screener', 'addressed'),
  ('task.overdue', 'station_staff', 'station'),
  ('task.overdue', 'screener', 'addressed'),
  ('task.escalated', 'admin', 'county'),
  ('task.escalated', 'leader', 'county'),
  ('task.escalated', 'town_officer', 'addressed'),
  ('warning.raised', 'town_officer', 'town'),
  ('warning.raised', 'station_staff', 'town_room'),
  ('warning.raised', 'admin', 'county'),
  ('warning.raised', 'leader', 'county');

-- One published event. `title` is a message code the web renders in zh-CN or English with `params`.
CREATE TABLE notification_events (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL REFERENCES notification_kinds (kind),
  level        text NOT NULL CHECK (level IN ('town', 'county')),
  town_code    text REFERENCES admin_units (code),
  station_id   integer REFERENCES stations (id) ON DELETE SET NULL,
  village_code text REFERENCES admin_units (code),
  dispute_id   bigint REFERENCES disputes (id) ON DELETE CASCADE,
  -- No foreign keys: tasks and warnings are younger tables (and a notification outlives a dismissed warning).
  task_id      bigint,
  warning_id   bigint,
  title        text NOT NULL CHECK (title ~ '^[a-zA-Z0-9_.]{1,80}$'),
  params       jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(params) = 'object'),
  -- The same key twice is one event (a re-run job, a retried write): the second publish does nothing.
  dedupe_key   text UNIQUE CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  actor_id     bigint REFERENCES accounts (id) ON DELETE SET NULL,
  -- The demo's pinned "now", like every other age and period in the product.
  created_at   timestamptz NOT NULL DEFAULT app_now(),
  -- A village belongs to its town (codes are hierarchical); a county-wide event has no town.
  CHECK (village_code IS NULL OR (town_code IS NOT NULL AND left(village_code, 9) = town_code))
);
CREATE INDEX notification_events_dispute_idx ON notification_events (dispute_id) WHERE dispute_id IS NOT NULL;
CREATE INDEX notification_events_task_idx ON notification_events (task_id) WHERE task_id IS NOT NULL;

-- One row per recipient: the bell's count, the list, read marks. The id is the SSE event id (resume point).
CREATE TABLE notifications (
  id          bigserial PRIMARY KEY,
  event_id    bigint NOT NULL REFERENCES notification_events (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  read_at     timestamptz,
  UNIQUE (event_id, account_id)
);
CREATE INDEX notifications_account_idx ON notifications (account_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (account_id) WHERE read_at IS NULL;
