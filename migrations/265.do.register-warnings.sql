-- The register's checks become an early-warning rule (issue 18 with issue 16): an appointment or qualification
-- ending soon, a joint mediation room without an active judicial assistant, a mediator short of the county's
-- yearly training hours. Its thresholds are the two settings migration 260 kept in app_settings, moved into the
-- rule so that the county administrator edits them where the other warnings' thresholds are edited.
ALTER TABLE warning_rules DROP CONSTRAINT warning_rules_code_check;
ALTER TABLE warning_rules ADD CONSTRAINT warning_rules_code_check CHECK (code IN ('acceptance_overdue',
  'repeat_party', 'escalation', 'emerging_hotspot', 'screening_overdue', 'room_overload', 'reopened_soon',
  'mediator_register'));

INSERT INTO warning_rules (code, thresholds)
SELECT 'mediator_register', jsonb_build_object(
  'withinDays', coalesce((SELECT value::int FROM app_settings WHERE key = 'mediator_expiry_warning_days'), 60),
  'requiredHours', coalesce((SELECT value::int FROM app_settings WHERE key = 'mediator_training_hours_per_year'), 24));

DELETE FROM app_settings WHERE key IN ('mediator_expiry_warning_days', 'mediator_training_hours_per_year');
