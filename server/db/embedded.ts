import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { TransactionFlow } from './flow.js';
import { withSavepoint } from './savepoint.js';
import { createTempTable, jsonChunks } from './temp-load.js';
import { mvtInJavaScript } from './tiles.js';
import type { Db, KeysetQuery, QueryResult, Transaction } from './types.js';

export interface EmbeddedOptions {
  /** Directory persisting the database; `undefined` keeps it in memory. */
  dataDir?: string;
  /** A tarball made by `dumpDataDir` to start from (tests load a prepared database this way). */
  loadDataDir?: Blob;
}

export interface EmbeddedDb extends Db {
  /** Snapshot of the whole database (tests prepare one seeded database and load copies of it). */
  dump(): Promise<Blob>;
  /**
   * The same connection for the notification hub: its statements go before every statement waiting, so a
   * delivery does not wait behind a burst of queued case writes (each of which publishes the events it reads).
   */
  readonly delivery: Db;
}

/** Rows per page of a stream on the embedded database. */
const STREAM_PAGE_ROWS = 250;

/**
 * The one connection, handed to one statement (or transaction) at a time. Waiting short work goes before waiting
 * pages of a stream (an export of everything), so a light read waits for at most the page being read, not for
 * every page queued before it: measured in tests/integration/fairness.test.ts. Notification deliveries ('first')
 * go before both: they are short, and each one serves every open page the events reach.
 */
export type GatePriority = 'first' | 'urgent' | 'background';

export class ConnectionGate {
  #busy = false;
  readonly #queues: Record<GatePriority, (() => void)[]> = { first: [], urgent: [], background: [] };

  async run<T>(priority: GatePriority, fn: () => Promise<T>): Promise<T> {
    if (this.#busy) {
      await new Promise<void>((resolve) => this.#queues[priority].push(resolve));
    } else {
      this.#busy = true;
    }
    try {
      return await fn();
    } finally {
      // The caller gets its answer before the connection is handed over, so a request's next statement (issued as
      // soon as the previous one answers) queues before the hand-over and goes before waiting stream pages and
      // upload commits: a light read of three statements waits for at most one of them, not one per statement.
      void this.#handOver();
    }
  }

  async #handOver(): Promise<void> {
    // One turn of the event loop first: requests that arrived during this statement (their timers and sockets)
    // get to queue, so an urgent one goes before the next page of a stream. Without it a stream's pages chain on
    // microtasks alone and nothing else runs until the export ends (measured: 0 light reads in 17 s).
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Hand over directly, so nothing that arrives meanwhile jumps ahead of the queues.
    const next = this.#queues.first.shift() ?? this.#queues.urgent.shift() ?? this.#queues.background.shift();
    if (next) next();
    else this.#busy = false;
  }
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) with PostGIS, for a newcomer who has nothing installed.
 * It is a single connection: a transaction holds it until it ends, so concurrent requests wait their turn
 * (correct, slower) in the ConnectionGate above, and a query awaited inside a transaction would wait for itself:
 * `TransactionFlow` refuses it at once. ST_AsMVT is missing (no protobuf-c): tiles are encoded in JavaScript
 * (db/tiles.ts).
 */
export async function openEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedDb> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { postgis },
    // Same JS types as the pg pool (see postgres.ts): numeric as number.
    parsers: { [types.NUMERIC]: (v: string) => Number(v) },
  });

  const toResult = <T>(r: { rows: unknown[]; affectedRows?: number }): QueryResult<T> => ({
    rows: r.rows as T[],
    rowCount: r.affectedRows ?? r.rows.length,
  });

  const flow = new TransactionFlow();
  const gate = new ConnectionGate();
  const run = async <T>(text: string, values?: readonly unknown[], priority: GatePriority = 'urgent') =>
    toResult<T>(await gate.run(priority, () => pglite.query(text, values as unknown[] | undefined)));

  const base: Omit<EmbeddedDb, 'delivery'> = {
    backend: 'embedded',
    async query<T>(text: string, values?: readonly unknown[]) {
      flow.assertOutside('db.query');
      return run<T>(text, values);
    },
    detached: { query: (text, values) => flow.outside(() => run(text, values)) },
    vectorTile: (req) => mvtInJavaScript(db, req),
    async *stream<T>(query: KeysetQuery, batchSize: number): AsyncIterable<T[]> {
      // One query per page, each its own statement: other requests queue between pages, not behind the
      // whole export. (Pages are not one snapshot; rows are read in key order, so none is read twice.)
      flow.assertOutside('db.stream');
      // Short pages: the connection is everybody's between two of them (2,000-row pages of the case export
      // took ~1.4 s each on a loaded machine, and a light read waited for one).
      const size = Math.min(batchSize, STREAM_PAGE_ROWS);
      let after: unknown = null;
      for (;;) {
        const q = query.page(after, size);
        const { rows } = await gate.run('background', () =>
          pglite.query<Record<string, unknown>>(q.text, q.values as unknown[]),
        );
        if (rows.length > 0) yield rows as T[];
        if (rows.length < size) return;
        after = rows[rows.length - 1]?.[query.key];
      }
    },
    async *streamLines(query: KeysetQuery, column: string, batchSize: number): AsyncIterable<Uint8Array> {
      for await (const rows of db.stream<Record<string, unknown>>(query, batchSize)) {
        yield Buffer.from(`${rows.map((r) => r[column] as string).join('\n')}\n`);
      }
    },
    async exec(sql: string) {
      flow.assertOutside('db.exec');
      await gate.run('urgent', () => pglite.exec(sql));
    },
    async transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: { yieldToReads?: boolean }) {
      flow.assertOutside('db.transaction');
      return gate.run(options?.yieldToReads ? 'background' : 'urgent', () =>
        pglite.transaction(async (t) =>
          flow.inside(() =>
            fn({
              async query<R>(text: string, values?: readonly unknown[]) {
                return toResult<R>(await t.query(text, values as unknown[] | undefined));
              },
              async loadTemp(table, columns, rows) {
                // Never COPY FROM STDIN here: it breaks the PGlite instance. JSON chunks, as the seed loads.
                await t.exec(createTempTable(table, columns));
                for (const q of jsonChunks(table, columns, rows)) await t.query(q.text, q.values);
              },
              async copyRows(table, columns, rows) {
                for (const q of jsonChunks(table, columns, rows)) await t.query(q.text, q.values);
              },
              savepoint(name, body) {
                return withSavepoint(this, name, body);
              },
            }),
          ),
        ),
      );
    },
    async listen(channel, onMessage) {
      // PGlite delivers a NOTIFY to its own connection's listeners after the sending transaction commits.
      const stop = await pglite.listen(channel, onMessage);
      return async () => {
        await stop();
      };
    },
    async dump() {
      return gate.run('urgent', () => pglite.dumpDataDir('none'));
    },

    async close() {
      await pglite.close();
    },
  };
  const delivery: Db = {
    ...base,
    async query<T>(text: string, values?: readonly unknown[]) {
      flow.assertOutside('db.query');
      return run<T>(text, values, 'first');
    },
  };
  const db: EmbeddedDb = Object.assign(base, { delivery });
  return db;
}
