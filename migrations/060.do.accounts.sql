-- Accounts, sessions, API tokens and the audit trail (issue 8).

-- People who sign in. Roles: county administrator, county leader, town officer, station staff, field screener.
-- (Export clients are API tokens, not people.) A town officer is scoped to one town, station staff to their
-- station (and through it, its town), a screener to the villages assigned below.
CREATE TABLE accounts (
  id                  bigserial PRIMARY KEY,
  username            text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
  display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 60),
  role                text NOT NULL CHECK (role IN ('admin', 'leader', 'town_officer', 'station_staff', 'screener')),
  town_code           text REFERENCES admin_units (code),
  station_id          integer REFERENCES stations (id) ON DELETE SET NULL,
  -- scrypt, "scrypt$N$r$p$salt$hash" (base64url): parameters travel with the hash so they can be raised later.
  password_hash       text NOT NULL,
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  disabled            boolean NOT NULL DEFAULT false,
  -- Demo accounts are made on the demo database's first start; the dashboard says so on its login page.
  demo                boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'town_officer' OR town_code IS NOT NULL),
  CHECK (role <> 'station_staff' OR station_id IS NOT NULL)
);

-- The villages a field screener reports for.
CREATE TABLE account_villages (
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  village_code text NOT NULL REFERENCES admin_units (code),
  PRIMARY KEY (account_id, village_code)
);

-- Server-side sessions: the cookie carries a random id; only its SHA-256 is stored.
CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

-- API tokens for machine clients (the export API) and services. Only the SHA-256 of the token is stored.
-- An `export` token reads exports, OGC API – Features and tiles without personal data; an `admin` token
-- (made by the CLI for services such as the benchmarks) acts as a county administrator.
CREATE TABLE api_tokens (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  token_hash   text NOT NULL UNIQUE,
  -- The first characters of the token, to recognise it in the list ("ljm_3fA9…").
  prefix       text NOT NULL,
  role         text NOT NULL CHECK (role IN ('export_client', 'admin')),
  -- Optional: limit an export token to one town.
  town_code    text REFERENCES admin_units (code),
  created_by   bigint REFERENCES accounts (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- The first administrator of a server database is created with a one-time setup code printed at start.
CREATE TABLE setup_codes (
  code_hash  text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz
);

-- Append-only audit trail: logins, failed logins, reads of personal data, writes, uploads, exports.
-- Who (account or token, by id and name), what (action and target), when, from where. Never personal data.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('account', 'token', 'anonymous', 'system')),
  actor_id    bigint,
  actor_name  text,
  role        text,
  action      text NOT NULL,
  target_type text,
  target_id   text,
  outcome     text NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok', 'denied', 'failed')),
  ip          text,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_kind, actor_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Who uploaded a batch, as an account (the text `uploaded_by` stays for batches from before accounts).
ALTER TABLE upload_batches ADD COLUMN uploaded_by_id bigint REFERENCES accounts (id);
CREATE INDEX upload_batches_uploader_idx ON upload_batches (uploaded_by_id, uploaded_at DESC);
