-- Early warnings (预警, issue 16): rules with their thresholds as settings, and the warnings they raise.

-- One row per rule. The thresholds are the county's settings (edited by the county administrator through the
-- API, which validates each against the rule's limits in server/domain/warnings/rules.ts); the version makes a
-- stale edit a 409 rather than a lost update.
CREATE TABLE warning_rules (
  code        text PRIMARY KEY CHECK (code IN ('acceptance_overdue', 'repeat_party', 'escalation',
                'emerging_hotspot', 'screening_overdue', 'room_overload', 'reopened_soon')),
  enabled     boolean NOT NULL DEFAULT true,
  thresholds  jsonb NOT NULL CHECK (jsonb_typeof(thresholds) = 'object'),
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);
INSERT INTO warning_rules (code, thresholds) VALUES
  ('acceptance_overdue', '{"redHours": 24, "orangeHours": 48}'),
  ('repeat_party', '{"minCases": 3, "windowDays": 90}'),
  ('escalation', '{"minScore": 50, "minRise": 10}'),
  ('emerging_hotspot', '{"cellSize": 1000, "recentMonths": 12}'),
  ('screening_overdue', '{"graceDays": 0}'),
  ('room_overload', '{"maxOpenPerMediator": 25}'),
  ('reopened_soon', '{"withinDays": 30}');

-- A warning is raised once per rule, subject and period: the unique key is what makes a re-evaluation, or two
-- app instances evaluating at once on one database, insert nothing twice (INSERT … ON CONFLICT DO NOTHING).
-- The subject key names what the warning is about ('dispute:12', 'party:<keyed hash>', 'cell:1000:3,-4',
-- 'village:430723108001', 'station:43'); it is never shown (a party's key is a pseudonym of a person).
CREATE TABLE warnings (
  id             bigserial PRIMARY KEY,
  rule_code      text NOT NULL REFERENCES warning_rules (code),
  subject_key    text NOT NULL CHECK (length(subject_key) BETWEEN 1 AND 200),
  period         text NOT NULL CHECK (length(period) BETWEEN 1 AND 40),
  -- 'county': the county roles must know too (red cases, parties across towns).
  level          text NOT NULL CHECK (level IN ('town', 'county')),
  -- NULL only for a county-level warning that spans towns (seen by county roles only).
  town_code      text REFERENCES admin_units (code),
  village_code   text REFERENCES admin_units (code),
  station_id     integer REFERENCES stations (id),
  dispute_id     bigint REFERENCES disputes (id) ON DELETE CASCADE,
  -- Where the warnings layer draws it.
  geom           geometry(Point, 4326),
  -- What made it fire: case ids, counts, the threshold in force.
  evidence       jsonb NOT NULL DEFAULT '{}'::jsonb,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'dismissed', 'tasked')),
  dismiss_reason text CHECK (dismiss_reason IS NULL OR length(dismiss_reason) BETWEEN 1 AND 2000),
  task_id        bigint,
  raised_at      timestamptz NOT NULL,
  version        integer NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     text,
  UNIQUE (rule_code, subject_key, period),
  CHECK (town_code IS NOT NULL OR level = 'county'),
  CHECK ((status = 'dismissed') = (dismiss_reason IS NOT NULL))
);
CREATE INDEX warnings_town_idx ON warnings (town_code, status, raised_at DESC);
CREATE INDEX warnings_raised_idx ON warnings (raised_at DESC, id DESC);
CREATE INDEX warnings_dispute_idx ON warnings (dispute_id) WHERE dispute_id IS NOT NULL;
CREATE INDEX warnings_geom_idx ON warnings USING gist (geom);

-- Daily escalation scores of open cases: "rising by N points in a week" compares today's score with the lowest
-- of the seven days before. The first evaluation of a day keeps its score (ON CONFLICT DO NOTHING).
CREATE TABLE warning_escalation_scores (
  dispute_id  bigint NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
  on_day      date NOT NULL,
  score       integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  PRIMARY KEY (dispute_id, on_day)
);
