import { issueServiceToken } from '../../server/auth/tokens.js';
import type { Queryable } from '../../server/db/index.js';

/** A bearer token with county-administrator rights for the server processes of this suite. */
export async function serviceToken(db: Queryable): Promise<string> {
  return issueServiceToken(db, 'reliability');
}

/** The one place requests of this suite get their headers (authentication included). */
export function withAuth(token: string, headers: Record<string, string> = {}): Record<string, string> {
  return token ? { ...headers, authorization: `Bearer ${token}` } : headers;
}
