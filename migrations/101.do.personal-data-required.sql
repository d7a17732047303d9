-- Every party written from now on has its (encrypted) name: a CHECK that a NULL would satisfy otherwise
-- (dispute_parties_encrypted, migration 100, only checks the form of the values present). NOT VALID: rows from
-- before migration 100 get their name when the application encrypts the pending clear values at start.
ALTER TABLE dispute_parties
  ADD CONSTRAINT dispute_parties_name_present CHECK (name_enc IS NOT NULL) NOT VALID;
