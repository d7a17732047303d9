/** Pure readers/writers of the dashboard's URL state (`?town=430723108&lang=en`). */

/** Town codes are the official 9-digit codes (county 6 digits + 3). */
const TOWN_CODE = /^\d{9}$/;

export function readTown(search: string): string | null {
  const value = new URLSearchParams(search).get('town');
  return value && TOWN_CODE.test(value) ? value : null;
}

/** Returns `search` with the town set or removed, other parameters kept in order. */
export function withTown(search: string, town: string | null): string {
  const params = new URLSearchParams(search);
  if (town) params.set('town', town);
  else params.delete('town');
  const out = params.toString();
  return out ? `?${out}` : '';
}

/** Any single query parameter (view, layer, filters…); null when absent or empty. */
export function readParam(search: string, name: string): string | null {
  const value = new URLSearchParams(search).get(name);
  return value === null || value === '' ? null : value;
}

/** Returns `search` with `name` set (or removed for null), other parameters kept in order. */
export function withParam(search: string, name: string, value: string | null): string {
  const params = new URLSearchParams(search);
  if (value === null || value === '') params.delete(name);
  else params.set(name, value);
  const out = params.toString();
  return out ? `?${out}` : '';
}
