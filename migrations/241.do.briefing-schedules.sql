-- Scheduled briefings (issue 17): per county or town, a weekly briefing (made Monday from 08:00 China time, of
-- the week just ended) and/or a monthly one (made on the 1st, of the month just ended); the scheduler's job makes
-- each once per period (scheduled_runs, migration 151) and keeps the PDF and its XLSX here for download.
CREATE TABLE briefing_schedules (
  id          serial PRIMARY KEY,
  scope_code  text NOT NULL REFERENCES admin_units (code),
  frequency   text NOT NULL CHECK (frequency IN ('weekly', 'monthly')),
  lang        text NOT NULL DEFAULT 'zh-CN' CHECK (lang IN ('zh-CN', 'en')),
  enabled     boolean NOT NULL DEFAULT true,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (scope_code, frequency, lang)
);

CREATE TABLE briefings (
  id           bigserial PRIMARY KEY,
  scope_code   text NOT NULL REFERENCES admin_units (code),
  period       text NOT NULL CHECK (length(period) BETWEEN 4 AND 40),
  period_from  date NOT NULL,
  period_to    date NOT NULL CHECK (period_to >= period_from),
  lang         text NOT NULL CHECK (lang IN ('zh-CN', 'en')),
  pdf          bytea NOT NULL,
  xlsx         bytea NOT NULL,
  -- The period's headline counts, for the list (the documents hold the rest).
  found        integer NOT NULL CHECK (found >= 0),
  resolved     integer NOT NULL CHECK (resolved >= 0),
  made_by      text NOT NULL,
  made_at      timestamptz NOT NULL DEFAULT now(),
  -- One briefing per scope, period and language: a re-run of the job stores nothing.
  UNIQUE (scope_code, period, lang)
);
CREATE INDEX briefings_made_idx ON briefings (period_to DESC, id DESC);
