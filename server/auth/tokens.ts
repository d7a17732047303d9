import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { insertApiToken } from '../db/queries/accounts.js';

/** Random secrets (session ids, API tokens, setup codes): only their SHA-256 is stored. */
export function randomSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export type TokenRole = 'export_client' | 'admin';

export interface NewToken {
  name: string;
  role: TokenRole;
  townCode?: string | null;
  expiresAt?: Date | null;
  createdBy?: number | null;
}

/** Creates an API token; the clear token is returned once and never stored. */
export async function createApiToken(db: Queryable, t: NewToken): Promise<{ id: number; token: string }> {
  const token = randomSecret('ljm_');
  const q = insertApiToken({
    name: t.name,
    hash: sha256(token),
    prefix: token.slice(0, 8),
    role: t.role,
    townCode: t.townCode ?? null,
    expiresAt: t.expiresAt ?? null,
    createdBy: t.createdBy ?? null,
  });
  const { rows } = await db.query<{ id: number }>(q.text, q.values);
  return { id: Number(rows[0]?.id), token };
}

/**
 * A bearer token acting as a county administrator, for services on the same database (benchmarks, reliability
 * tests, scripts). Expires after a day.
 */
export async function issueServiceToken(db: Queryable, name: string): Promise<string> {
  const { token } = await createApiToken(db, {
    name: `service: ${name}`,
    role: 'admin',
    expiresAt: new Date(Date.now() + 24 * 3600 * 1000),
  });
  return token;
}
