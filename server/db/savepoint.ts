import type { Queryable } from './types.js';

/**
 * Runs `fn` inside a savepoint of the open transaction: released when it resolves; rolled back to when it throws
 * (the error goes on, and the transaction stays usable). The name comes from code, never from input.
 */
export async function withSavepoint<T>(tx: Queryable, name: string, fn: () => Promise<T>): Promise<T> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid savepoint name ${name}`);
  await tx.query(`SAVEPOINT ${name}`);
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
  await tx.query(`RELEASE SAVEPOINT ${name}`);
  return result;
}
