/** Pure helpers of the case register. */

/** "lon,lat" (the picked point kept in the URL) → numbers, or null when absent or malformed. */
export function parsePoint(value: string | null): { lon: number; lat: number } | null {
  if (!value) return null;
  const [a, b] = value.split(',');
  const lon = Number(a);
  const lat = Number(b);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
  return { lon, lat };
}

export function formatPoint(lon: number, lat: number): string {
  return `${lon.toFixed(6)},${lat.toFixed(6)}`;
}

/** The status groups offered as filters; "open" is what a station works on. */
export const STATUS_GROUPS = {
  open: 'reported,accepted,mediating',
  closed: 'resolved,failed,referred',
  all: '',
} as const;
export type StatusGroup = keyof typeof STATUS_GROUPS;

export const REGISTER_SORTS = ['escalation', 'due', '-reportedAt', 'risk', 'caseNo'] as const;

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
