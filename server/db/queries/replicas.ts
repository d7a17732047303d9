import type { Sql } from '../types.js';

/**
 * The primary's WAL insert position: everything it has written so far, committed or not. A replica that has
 * replayed up to here holds all of it.
 */
export function primaryWalPosition(): Sql {
  return { text: 'SELECT pg_current_wal_insert_lsn()::text AS lsn', values: [] };
}

/**
 * A replica's state against the primary position `lsn` (null when the primary did not answer): whether it is a
 * standby, whether it has replayed up to `lsn`, and the age of the last transaction it replayed (null before
 * the first one since it started).
 */
export function replicaState(lsn: string | null): Sql {
  return {
    text: `SELECT pg_is_in_recovery() AS standby,
                  coalesce(pg_last_wal_replay_lsn() >= $1::text::pg_lsn, false) AS caught_up,
                  pg_last_wal_replay_lsn()::text AS replayed,
                  EXTRACT(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS replay_age_s`,
    values: [lsn],
  };
}

/** Which server answers: a standby or not, and its port (the test-only debug header). */
export function answeringServer(): Sql {
  return { text: 'SELECT pg_is_in_recovery() AS in_recovery, inet_server_port() AS port', values: [] };
}
