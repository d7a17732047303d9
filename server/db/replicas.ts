import { openPostgres } from './postgres.js';
import { answeringServer, primaryWalPosition, replicaState } from './queries/replicas.js';
import { mvtInDatabase } from './tiles.js';
import type { Db, KeysetQuery, QueryResult } from './types.js';

/**
 * Read replicas (`DATABASE_READ_URL`): streaming standbys of the primary that serve the dashboard's reads. The
 * plugin `server/plugins/read-replicas.ts` asks `pick()` once per read request and runs the whole request on the
 * handle it gets, so that a tile's ETag and its body come from the same server (a tag read on the primary with a
 * body read on a replica behind it would file an older tile under a newer tag).
 *
 * A replica is used while it answers, is a standby, and is at most `maxLagS` behind. Its lag: 0 when it has
 * replayed everything the primary had written when the check began (its WAL insert position); otherwise the
 * age of the last transaction it replayed. The second is an upper bound that errs towards the primary: a replica
 * of a primary that was idle for an hour reads as an hour behind from the primary's next write until it replays
 * it (milliseconds later), so reads go to the primary for that check. The state is checked at most every
 * `checkMs` (0: before every pick); a replica that fails a statement between checks is skipped at once and that
 * statement, and the rest of the request, run on the primary.
 */

export interface ReplicaReport {
  /** replica-1, replica-2, … in the order of DATABASE_READ_URL (no host names: /api/health is public). */
  id: string;
  inUse: boolean;
  /** Why it is skipped; null while in use. */
  reason: string | null;
  /** Seconds behind the primary at the last check (0: caught up); null when unknown. */
  lagS: number | null;
}

export interface ReadRouter {
  /** The handle a read request runs on: a replica in use (round robin), else the primary. */
  pick(): Promise<Db>;
  /** Every configured replica and whether it is used, as of a check at most `checkMs` old. */
  report(): Promise<ReplicaReport[]>;
  /** The server that answers a handle's reads now, as the database reports it (the test-only debug header). */
  answering(db: Db): Promise<{ inRecovery: boolean; port: number | null }>;
  close(): Promise<void>;
}

export interface ReadRouterOptions {
  urls: readonly string[];
  maxLagS: number;
  checkMs: number;
  poolSize: number;
  statementTimeoutMs: number;
  onError?: (err: Error, replica: string) => void;
}

/** How long a replica may take to answer its check before it counts as unreachable. */
export const REPLICA_CHECK_TIMEOUT_MS = 2000;

interface Replica {
  id: string;
  pool: Db;
  handle: Db;
  report: ReplicaReport;
}

/** A lost connection, a refused one, a server shutting down or starting (db/postgres.ts marks them so). */
function unavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '08006' || code === '57P01';
}

/** A standby cancelled the read because replay needed its rows or locks ("conflict with recovery"). */
function recoveryConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('check timed out'), { code: 'timeout' })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The embedded database (or a server without DATABASE_READ_URL): every read on the primary. */
export function primaryOnly(primary: Db, ignoredUrls: readonly string[] = []): ReadRouter {
  const reason = 'the embedded database runs in this process: DATABASE_READ_URL is ignored';
  const reports = ignoredUrls.map((_, i) => ({ id: `replica-${i + 1}`, inUse: false, reason, lagS: null }));
  return {
    pick: async () => primary,
    report: async () => reports.map((r) => ({ ...r })),
    answering: (db) => answeringOf(db),
    close: async () => {},
  };
}

async function answeringOf(db: Db): Promise<{ inRecovery: boolean; port: number | null }> {
  const q = answeringServer();
  const { rows } = await db.query<{ in_recovery: boolean; port: number | null }>(q.text, q.values);
  return { inRecovery: rows[0]?.in_recovery === true, port: rows[0]?.port ?? null };
}

export function openReadRouter(primary: Db, options: ReadRouterOptions): ReadRouter {
  const replicas: Replica[] = options.urls.map((url, i) => {
    const id = `replica-${i + 1}`;
    const pool = openPostgres({
      connectionString: url,
      poolSize: options.poolSize,
      statementTimeoutMs: options.statementTimeoutMs,
      connectTimeoutMs: REPLICA_CHECK_TIMEOUT_MS,
      applicationName: 'joint-mediation-map reads',
      onPoolError: (err) => options.onError?.(err, id),
    });
    const replica: Replica = {
      id,
      pool,
      handle: primary, // replaced just below (it refers to the replica)
      report: { id, inUse: false, reason: 'not checked yet', lagS: null },
    };
    replica.handle = replicaHandle(replica, primary, (err) => skip(replica, err));
    return replica;
  });

  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;
  let next = 0;

  function skip(replica: Replica, err: unknown) {
    const code = (err as { code?: unknown } | null)?.code;
    replica.report = { id: replica.id, inUse: false, reason: `unreachable (${String(code ?? 'error')})`, lagS: null };
    options.onError?.(err instanceof Error ? err : new Error(String(err)), replica.id);
  }

  async function checkOne(replica: Replica, lsn: string | null): Promise<void> {
    try {
      const q = replicaState(lsn);
      const { rows } = await withTimeout(
        replica.pool.query<{ standby: boolean; caught_up: boolean; replay_age_s: number | null }>(q.text, q.values),
        REPLICA_CHECK_TIMEOUT_MS,
      );
      const r = rows[0];
      const report = (inUse: boolean, reason: string | null, lagS: number | null) => {
        replica.report = { id: replica.id, inUse, reason, lagS };
      };
      if (!r?.standby) return report(false, 'not a standby (pg_is_in_recovery() is false)', null);
      const lag = r.caught_up ? 0 : r.replay_age_s === null ? null : Math.max(0, r.replay_age_s);
      if (lag === null) return report(false, 'lag unknown (behind the primary, no transaction replayed yet)', null);
      const rounded = Math.round(lag * 10) / 10;
      if (lag > options.maxLagS) return report(false, `lag ${rounded} s > ${options.maxLagS} s`, rounded);
      return report(true, null, rounded);
    } catch (err) {
      skip(replica, err);
    }
  }

  async function check(): Promise<void> {
    let lsn: string | null = null;
    try {
      const q = primaryWalPosition();
      lsn = (await primary.query<{ lsn: string }>(q.text, q.values)).rows[0]?.lsn ?? null;
    } catch {
      // The primary down: each replica is judged by the age of what it replayed alone.
    }
    await Promise.all(replicas.map((r) => checkOne(r, lsn)));
    checkedAt = Date.now();
  }

  async function fresh(): Promise<void> {
    if (Date.now() - checkedAt < options.checkMs) return;
    if (!checking) {
      checking = check().finally(() => {
        checking = null;
      });
    }
    await checking;
  }

  return {
    async pick() {
      await fresh();
      const usable = replicas.filter((r) => r.report.inUse);
      if (usable.length === 0) return primary;
      next = (next + 1) % usable.length;
      return (usable[next] as Replica).handle;
    },
    async report() {
      await fresh();
      return replicas.map((r) => ({ ...r.report }));
    },
    answering: (db) => answeringOf(db),
    async close() {
      await Promise.all(replicas.map((r) => r.pool.close()));
    },
  };
}

/**
 * The handle of one replica: reads on the replica while it is in use; a statement it fails with a lost or
 * refused connection marks it skipped and runs on the primary, as does every later statement until a check
 * finds it in use again. Reads only: a transaction, `exec`, `detached` and `listen` are the primary's.
 */
function replicaHandle(replica: Replica, primary: Db, markDown: (err: unknown) => void): Db {
  const onReplica = () => replica.report.inUse;
  const query = async <T>(text: string, values?: readonly unknown[]): Promise<QueryResult<T>> => {
    if (!onReplica()) return primary.query<T>(text, values);
    try {
      return await replica.pool.query<T>(text, values);
    } catch (err) {
      if (unavailable(err)) markDown(err);
      else if (!recoveryConflict(err)) throw err;
      return primary.query<T>(text, values);
    }
  };
  // A stream falls back only before its first batch: after that the client already has part of the answer.
  async function* fallible<T>(
    fromReplica: () => AsyncIterable<T>,
    fromPrimary: () => AsyncIterable<T>,
  ): AsyncIterable<T> {
    if (!onReplica()) {
      yield* fromPrimary();
      return;
    }
    let started = false;
    try {
      for await (const chunk of fromReplica()) {
        started = true;
        yield chunk;
      }
    } catch (err) {
      if (started || !(unavailable(err) || recoveryConflict(err))) throw err;
      if (unavailable(err)) markDown(err);
      yield* fromPrimary();
    }
  }
  const handle: Db = {
    backend: 'postgis',
    query,
    detached: primary.detached,
    exec: (sql) => primary.exec(sql),
    vectorTile: (req) => mvtInDatabase(handle, req),
    stream: <T>(q: KeysetQuery, batchSize: number) =>
      fallible<T[]>(
        () => replica.pool.stream<T>(q, batchSize),
        () => primary.stream<T>(q, batchSize),
      ),
    streamLines: (q, column, batchSize) =>
      fallible(
        () => replica.pool.streamLines(q, column, batchSize),
        () => primary.streamLines(q, column, batchSize),
      ),
    transaction: (fn) => primary.transaction(fn),
    listen: (channel, onMessage, onReconnect) => primary.listen(channel, onMessage, onReconnect),
    close: async () => {},
  };
  return handle;
}
