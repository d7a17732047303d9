-- Assessment standards (考核标准, issue 17): the indicators that count, their weights and scales, as data the
-- county administrator edits. Versioned and never changed in place: a new version applies from its first day,
-- so a past period keeps the score it had under the standard then in force.
CREATE TABLE assessment_standards (
  version     integer PRIMARY KEY CHECK (version > 0),
  valid_from  date NOT NULL UNIQUE,
  -- Units with fewer cases found in the period are listed but not ranked.
  min_cases   integer NOT NULL CHECK (min_cases BETWEEN 0 AND 100000),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assessment_indicators (
  version   integer NOT NULL REFERENCES assessment_standards (version),
  position  integer NOT NULL CHECK (position >= 0),
  key       text NOT NULL CHECK (key IN ('acceptance_rate', 'success_rate', 'village_share', 'town_share',
              'overdue_rate', 'days_to_accept', 'days_to_resolve', 'screening_completeness', 'repeat_rate',
              'reopen_rate')),
  weight    numeric(6, 2) NOT NULL CHECK (weight > 0 AND weight <= 100),
  -- Full points at target, none at floor, linear between; a lower-is-better indicator has target < floor.
  target    float8 NOT NULL,
  floor     float8 NOT NULL CHECK (floor <> target),
  PRIMARY KEY (version, key),
  UNIQUE (version, position)
);

CREATE FUNCTION assessment_standards_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'assessment standards are versioned: add a version instead' USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER assessment_standards_frozen BEFORE UPDATE OR DELETE ON assessment_standards
  FOR EACH ROW EXECUTE FUNCTION assessment_standards_append_only();
CREATE TRIGGER assessment_indicators_frozen BEFORE UPDATE OR DELETE ON assessment_indicators
  FOR EACH ROW EXECUTE FUNCTION assessment_standards_append_only();

-- The weights of a version sum to 100, checked at commit (the rows arrive one by one).
CREATE FUNCTION assessment_weights_sum() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT sum(weight) FROM assessment_indicators WHERE version = NEW.version) <> 100 THEN
    RAISE EXCEPTION 'the weights of assessment standard % do not sum to 100', NEW.version USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER assessment_weights_sum AFTER INSERT ON assessment_indicators
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION assessment_weights_sum();

-- Version 1, in force from before any data: the article's aims (受理率, 调解成功率, 小事不出村, 大事不出镇) weigh most.
INSERT INTO assessment_standards (version, valid_from, min_cases, created_by) VALUES (1, '1990-01-01', 10, 'system');
INSERT INTO assessment_indicators (version, position, key, weight, target, floor) VALUES
  (1, 0, 'acceptance_rate', 15, 1, 0.8),
  (1, 1, 'success_rate', 20, 1, 0.8),
  (1, 2, 'village_share', 15, 0.8, 0.4),
  (1, 3, 'town_share', 10, 1, 0.8),
  (1, 4, 'overdue_rate', 10, 0, 0.2),
  (1, 5, 'days_to_accept', 5, 1, 5),
  (1, 6, 'days_to_resolve', 5, 7, 30),
  (1, 7, 'screening_completeness', 10, 1, 0.6),
  (1, 8, 'repeat_rate', 5, 0, 0.2),
  (1, 9, 'reopen_rate', 5, 0, 0.1);
