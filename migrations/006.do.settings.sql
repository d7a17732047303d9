-- Database-wide settings. `as_of` pins "now" for ages and overdue limits: the demo county's data ends on
-- 2023-05-17 (the source article), so its open cases are aged against that day, not against today.
CREATE TABLE app_settings (
  key   text PRIMARY KEY,
  value text NOT NULL
);

CREATE FUNCTION app_now() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT value::timestamptz FROM app_settings WHERE key = 'as_of'), now())
$$;
