import { adminUnitLevel } from '../db/queries/admin-units.js';
import type { Queryable } from '../db/types.js';
import type { AdminLevel } from '../domain/vocabulary.js';
import { InvalidInput } from './errors.js';

/** A filter naming a town or village that does not exist is a client error (400), not an empty answer. */
export async function assertAdminUnit(
  db: Queryable,
  field: string,
  code: string | undefined,
  level: AdminLevel,
): Promise<void> {
  if (code === undefined) return;
  const q = adminUnitLevel(code);
  const { rows } = await db.query<{ level: string }>(q.text, q.values);
  if (rows[0]?.level !== level) throw new InvalidInput(field, `unknown ${level} code '${code}'`);
}
