import type { Assignees } from '../../contract/tasks.js';
import { assigneesOf as assigneesQuery } from '../../db/queries/tasks.js';
import type { Queryable } from '../../db/types.js';

export async function assigneesOf(db: Queryable, town: string): Promise<Assignees> {
  const q = assigneesQuery(town);
  return JSON.parse((await db.query<{ body: string }>(q.text, q.values)).rows[0]?.body ?? '{}');
}
