/** Who can do what (issue 8). Shared with the web app for labels and menus. */

export const accountRoles = ['admin', 'leader', 'town_officer', 'station_staff', 'screener'] as const;
export type AccountRole = (typeof accountRoles)[number];
export const roles = [...accountRoles, 'export_client'] as const;
export type Role = (typeof roles)[number];

/** The caller of a request, from a session cookie or an API token. */
export interface Principal {
  kind: 'account' | 'token';
  id: number;
  /** Username, or the token's name. */
  name: string;
  displayName: string;
  role: Role;
  /** Towns the caller may see; null = the whole county. */
  towns: string[] | null;
  /** Station staff: their station (cases handled there are theirs even when filed in another town). */
  stationId: number | null;
  /** Field screeners: the villages they report for. */
  villages: string[] | null;
  /** Session id hash (logout), for session callers. */
  session?: string;
}

/** May this caller see parties' personal data in clear (one record at a time, audited)? */
export const mayRevealPersonalData = (p: Principal) =>
  p.role === 'admin' || p.role === 'town_officer' || p.role === 'station_staff';

/** Is `code` (a town or village code; village codes start with their town's) inside the caller's scope? */
export function inScope(p: Principal, code: string | null | undefined): boolean {
  if (p.towns === null) return true;
  if (!code) return false;
  if (p.villages && code.length > 9) return p.villages.includes(code);
  return p.towns.some((t) => code.startsWith(t));
}
