import Type from 'typebox';
import { own } from '../domain/own.js';
import { badRequest } from '../plugins/errors.js';

/**
 * Query parameters that JSON Schema alone describes badly (lists, bboxes, calendar dates) are declared as
 * strings in the route schema (so OpenAPI shows them) and parsed here, with messages that name the field.
 */

export const TownCode = Type.String({ pattern: '^[0-9]{9}$', description: '9-digit town code, e.g. 430723108' });
export const VillageCode = Type.String({ pattern: '^[0-9]{12}$', description: '12-digit village code' });
export const DateParam = Type.String({ description: 'Calendar date YYYY-MM-DD (China Standard Time)' });
export const BboxParam = Type.String({
  description: 'minLon,minLat,maxLon,maxLat in WGS-84 degrees',
  examples: ['111.3,29.5,112.1,29.95'],
});

export function listParam(description: string, allowed: readonly string[]) {
  return Type.String({ description: `${description}; comma-separated, any of: ${allowed.join(', ')}` });
}

/** Parses "a,b" against an allow-list; `groups` expand names such as "open" into several values. */
export function parseList<T extends string>(
  field: string,
  raw: string | undefined,
  allowed: readonly T[],
  groups: Record<string, readonly T[]> = {},
): T[] | undefined {
  if (raw === undefined) return undefined;
  const out = new Set<T>();
  for (const part of raw.split(',').map((p) => p.trim())) {
    if (part === '') throw badRequest(field, 'empty value in list');
    const group = own(groups, part);
    if (group) {
      for (const v of group) out.add(v);
    } else if ((allowed as readonly string[]).includes(part)) {
      out.add(part as T);
    } else {
      const names = [...Object.keys(groups), ...allowed].join(', ');
      throw badRequest(field, `unknown value '${part}'; allowed: ${names}`);
    }
  }
  return [...out];
}

export function parseDate(field: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) throw badRequest(field, `'${raw}' is not a date in the form YYYY-MM-DD`);
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    throw badRequest(field, `'${raw}' is not a calendar date`);
  }
  if (Number(y) < 1900 || Number(y) > 2999) throw badRequest(field, `year ${y} is out of range`);
  return raw;
}

/** Checks a from/to pair: both valid dates and not inverted. */
export function parseDateRange(from: string | undefined, to: string | undefined) {
  const f = parseDate('from', from);
  const t = parseDate('to', to);
  if (f && t && f > t) throw badRequest('to', `date range is inverted: from ${f} is after to ${t}`);
  return { from: f, to: t };
}

export function parseBbox(field: string, raw: string | undefined): [number, number, number, number] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',');
  if (parts.length !== 4)
    throw badRequest(field, `expected 4 numbers minLon,minLat,maxLon,maxLat, got ${parts.length}`);
  const names = ['minLon', 'minLat', 'maxLon', 'maxLat'];
  const nums = parts.map((p, i) => {
    const trimmed = p.trim();
    const n = Number(trimmed);
    if (trimmed === '' || !Number.isFinite(n)) throw badRequest(field, `${names[i]} '${p}' is not a finite number`);
    return n;
  }) as [number, number, number, number];
  const [w, s, e, n] = nums;
  if (w < -180 || e > 180) throw badRequest(field, 'longitudes must lie within [-180, 180]');
  if (s < -90 || n > 90) throw badRequest(field, 'latitudes must lie within [-90, 90]');
  if (w > e) throw badRequest(field, `minLon ${w} is greater than maxLon ${e}`);
  if (s > n) throw badRequest(field, `minLat ${s} is greater than maxLat ${n}`);
  return nums;
}
