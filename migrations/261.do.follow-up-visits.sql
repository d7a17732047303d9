-- Follow-up visits (回访) of resolved cases (issue 18): whether the agreement is honoured (履行情况) and how
-- satisfied the parties are. A visit that finds the agreement broken may reopen the case; the new case is linked.
CREATE TABLE follow_up_visits (
  id             bigserial PRIMARY KEY,
  dispute_id     bigint NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
  visited_on     date NOT NULL,
  mediator_id    bigint REFERENCES mediators (id),
  performance    text NOT NULL CHECK (performance IN ('honoured', 'partly', 'broken')),
  satisfaction   text NOT NULL CHECK (satisfaction IN ('satisfied', 'basically', 'not')),
  note           text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  reopened_as_id bigint REFERENCES disputes (id),
  -- A client retrying a visit it could not see stored sends the same key: one row.
  client_key     uuid UNIQUE,
  synthetic      boolean NOT NULL DEFAULT false,
  actor          text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_visits_dispute_idx ON follow_up_visits (dispute_id, visited_on);

-- A visit only on a resolved case: the database refuses any other, whatever writes it.
CREATE FUNCTION follow_up_visits_resolved_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM disputes WHERE id = NEW.dispute_id AND status = 'resolved') THEN
    RAISE EXCEPTION 'a follow-up visit is only for a resolved case' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER follow_up_visits_resolved BEFORE INSERT OR UPDATE OF dispute_id ON follow_up_visits
  FOR EACH ROW EXECUTE FUNCTION follow_up_visits_resolved_only();

-- The first visit is due on the agreement's follow-up date; a resolved case without one, this many days after
-- it was resolved.
-- Resolved cases older than the horizon are no longer chased for a first visit (nor counted overdue).
INSERT INTO app_settings (key, value) VALUES ('follow_up_default_days', '30'), ('follow_up_horizon_days', '180')
  ON CONFLICT (key) DO NOTHING;
