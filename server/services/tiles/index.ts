import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../db/index.js';
import type { DisputeFilter } from '../../db/queries/filters.js';
import { disputeTile, disputeTileVersion } from '../../db/queries/tiles.js';

export interface DisputeTileAsk {
  filter: DisputeFilter;
  z: number;
  x: number;
  y: number;
  /** Export tokens' coarse grid (issue 8). */
  coarse?: { metres: number } | undefined;
}

/**
 * The entity tag of a dispute tile: the data version of the cells it covers (see `disputeTileVersion`) with a
 * digest of what else shapes it (address, filter incl. the caller's scope, coarse grid), so that two callers who
 * see different tiles at one URL never share a tag. Read before the tile: a write landing in between makes the
 * next request miss the tag, never keep a stale tile.
 */
export async function disputeTileTag(db: Queryable, ask: DisputeTileAsk): Promise<string> {
  const q = disputeTileVersion(ask.z, ask.x, ask.y);
  const { rows } = await db.query<{ version: string; cells: number }>(q.text, q.values);
  const shape = createHash('sha256')
    .update(JSON.stringify([ask.z, ask.x, ask.y, ask.filter, ask.coarse ?? null]))
    .digest('base64url')
    .slice(0, 16);
  return `"d${rows[0]?.version ?? '0'}.${rows[0]?.cells ?? 0}.${shape}"`;
}

/** Whether an If-None-Match header names `tag` (or is `*`); weak tags compare equal to strong ones (RFC 9110). */
export function tagMatches(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === tag);
}

/** The dispute tile itself (rollup or disputes, see `disputeTile`). */
export function disputeTileBody(db: Db, ask: DisputeTileAsk): Promise<Uint8Array> {
  return db.vectorTile(disputeTile(ask.filter, ask.z, ask.x, ask.y, ask.coarse));
}
