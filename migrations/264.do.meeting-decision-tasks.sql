-- A meeting's decision may become a task for its station (issue 18 × the dispatch of issue 16): the link is kept
-- on the decision, one task per decision, and only a decision naming its station and due date can carry one.
ALTER TABLE meeting_decisions ADD COLUMN task_id bigint UNIQUE REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE meeting_decisions ADD CONSTRAINT meeting_decisions_task_needs_station
  CHECK (task_id IS NULL OR (station_id IS NOT NULL AND due_on IS NOT NULL));
