import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which transaction, if any, the current async flow has open on one database. The embedded database is one
 * connection that an open transaction holds: a `db.query` (or a second `db.transaction`) awaited inside it waits
 * for itself for ever. On the PostGIS server the same call runs on another pooled connection, outside the
 * transaction, seeing none of its writes. Both are bugs, so both backends refuse the call at once.
 */
export class TransactionFlow {
  private readonly open = new AsyncLocalStorage<{ open: boolean }>();

  /** Throws when a transaction of this database is open in the calling flow. */
  assertOutside(call: string): void {
    if (this.open.getStore()?.open) {
      throw new Error(
        `${call} was called while a transaction of the same database is open in this async flow: ` +
          'pass the transaction (tx) down and query through it (one command = one transaction)',
      );
    }
  }

  /** Runs `fn` marked as inside a transaction; the mark ends with it, also for callbacks `fn` left behind. */
  async inside<T>(fn: () => Promise<T>): Promise<T> {
    const store = { open: true };
    try {
      return await this.open.run(store, fn);
    } finally {
      store.open = false;
    }
  }

  /**
   * Runs `fn` as if no transaction were open: for a statement deliberately on its own (fire-and-forget progress
   * that other instances read). On the embedded database it waits until the open transaction ends, so it must
   * never be awaited inside one.
   */
  outside<T>(fn: () => T): T {
    return this.open.exit(fn);
  }
}
