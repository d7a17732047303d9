-- Case workflow (issue 7): what the register records beyond the first-cut disputes table.

-- Case flags and links. A reopened case points at the case it flared up from; a case made from a screening
-- risk item keeps that item. The state's start time drives the per-state deadlines.
ALTER TABLE disputes
  ADD COLUMN reopened_from_id bigint REFERENCES disputes (id),
  ADD COLUMN screening_item_id bigint REFERENCES screening_items (id),
  ADD COLUMN threat boolean NOT NULL DEFAULT false,
  ADD COLUMN injury boolean NOT NULL DEFAULT false,
  ADD COLUMN state_entered_at timestamptz,
  ADD COLUMN follow_up_on date,
  ADD COLUMN created_by text;
CREATE INDEX disputes_reopened_from_idx ON disputes (reopened_from_id) WHERE reopened_from_id IS NOT NULL;
CREATE INDEX disputes_station_idx ON disputes (station_id);
-- The same place and category within a window: the repeat finder looks up neighbours by category and time.
CREATE INDEX disputes_category_reported_idx ON disputes (category, reported_at);

-- More event kinds: edits, agreements and reopen links join the append-only history.
ALTER TABLE case_events DROP CONSTRAINT case_events_kind_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_kind_check
  CHECK (kind IN ('created', 'transition', 'handoff', 'note', 'edit', 'agreement', 'reopened'));
ALTER TABLE case_events
  ADD COLUMN referral_kind text CHECK (referral_kind IN ('litigation', 'arbitration', 'public_security_case',
                                                        'criminal_case')),
  ADD COLUMN linked_dispute_id bigint REFERENCES disputes (id),
  ADD COLUMN details jsonb NOT NULL DEFAULT '{}'::jsonb;

-- The history is append-only: rows are never changed. (Deleting a whole case still cascades, for data
-- retention jobs; no route deletes.)
CREATE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only' USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();

-- Agreements (调解协议) of resolved cases.
CREATE TABLE case_agreements (
  id           bigserial PRIMARY KEY,
  dispute_id   bigint NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
  agreed_on    date NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('oral', 'written', 'judicially_confirmed')),
  follow_up_on date,
  note         text NOT NULL DEFAULT '',
  actor        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (follow_up_on IS NULL OR follow_up_on >= agreed_on)
);
CREATE INDEX case_agreements_dispute_idx ON case_agreements (dispute_id);

-- Parties are matched across cases on keyed hashes (HMAC-SHA256, key from configuration) of the ID-card
-- number and the phone: the same person is found again without comparing or indexing clear values.
ALTER TABLE dispute_parties
  ADD COLUMN id_number_hash text,
  ADD COLUMN phone_hash text;
CREATE INDEX dispute_parties_id_hash_idx ON dispute_parties (id_number_hash) WHERE id_number_hash IS NOT NULL;
CREATE INDEX dispute_parties_phone_hash_idx ON dispute_parties (phone_hash) WHERE phone_hash IS NOT NULL;

-- Deadlines per state and category (days a case may stay in a state). A NULL category is the default for the
-- state. Settings, not code: a county changes them with an UPDATE.
CREATE TABLE case_deadlines (
  id        serial PRIMARY KEY,
  status    text NOT NULL CHECK (status IN ('reported', 'accepted', 'mediating')),
  category  text CHECK (category IN ('neighbour', 'marriage_family', 'land_forest', 'medical', 'labour_wages',
              'contract_debt', 'traffic_accident', 'property_management', 'other')),
  days      integer NOT NULL CHECK (days > 0 AND days <= 3650)
);
CREATE UNIQUE INDEX case_deadlines_key ON case_deadlines (status, coalesce(category, ''));
-- Accept within 3 days, start mediating within 7 of accepting, mediate within 30 (People's Mediation Law
-- norm); faster for matters that escalate (medical, labour & wages).
INSERT INTO case_deadlines (status, category, days) VALUES
  ('reported', NULL, 3), ('accepted', NULL, 7), ('mediating', NULL, 30),
  ('reported', 'medical', 1), ('reported', 'labour_wages', 2),
  ('mediating', 'medical', 15), ('mediating', 'labour_wages', 15), ('mediating', 'land_forest', 45);
