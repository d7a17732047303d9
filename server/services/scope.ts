import { NotFound } from './errors.js';

/** What a caller may see: towns (null = the county). Services take this, never a request. */
export interface TownScope {
  towns: readonly string[] | null;
}

export const townInScope = (s: TownScope, town: string | null | undefined) =>
  s.towns === null || (town !== null && town !== undefined && s.towns.includes(town));

/** 404 unless the town is in scope: an object outside is not told apart from one that does not exist. */
export function assertTown(s: TownScope, town: string | null | undefined, what: string) {
  if (!townInScope(s, town)) throw new NotFound(what);
}
