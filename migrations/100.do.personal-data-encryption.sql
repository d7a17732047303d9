-- Parties' personal data encrypted at rest (issue 8). The application encrypts names, phone numbers and ID-card
-- numbers with AES-256-GCM under PERSONAL_DATA_KEY (see server/domain/personal-data.ts); the database holds only
-- ciphertexts ("pd1:<key id>:<iv|tag|ciphertext>") and the keyed hashes that match the same person across cases.
ALTER TABLE dispute_parties
  ADD COLUMN name_enc text,
  ADD COLUMN phone_enc text,
  ADD COLUMN id_number_enc text;

-- SQL cannot encrypt under a key the database does not hold: clear values of rows from before this migration wait
-- here until the application's start encrypts them into their rows and deletes them (encryptPendingParties).
CREATE TABLE dispute_parties_clear_pending (
  party_id  bigint PRIMARY KEY REFERENCES dispute_parties (id) ON DELETE CASCADE,
  name      text NOT NULL,
  phone     text,
  id_number text
);
INSERT INTO dispute_parties_clear_pending (party_id, name, phone, id_number)
  SELECT id, name, phone, id_number FROM dispute_parties;

ALTER TABLE dispute_parties
  DROP COLUMN name,
  DROP COLUMN phone,
  DROP COLUMN id_number;

-- New and updated rows carry ciphertexts only (NOT VALID: rows waiting in the pending table are exempt until
-- they are encrypted).
ALTER TABLE dispute_parties
  ADD CONSTRAINT dispute_parties_encrypted CHECK (
    name_enc ~ '^pd1:[0-9a-f]{8}:'
    AND (phone_enc IS NULL OR phone_enc ~ '^pd1:[0-9a-f]{8}:')
    AND (id_number_enc IS NULL OR id_number_enc ~ '^pd1:[0-9a-f]{8}:')
  ) NOT VALID;
