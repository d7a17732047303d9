import type { TimeInterval } from '../../db/queries/export.js';
import { badRequest } from '../../plugins/errors.js';
import { parseBbox, parseDate } from '../params.js';

/** OGC bbox: 4 numbers, or 6 with heights (minLon,minLat,minH,maxLon,maxLat,maxH), whose heights we ignore. */
export function parseOgcBbox(field: string, raw: string | undefined) {
  if (raw === undefined) return undefined;
  const parts = raw.split(',');
  if (parts.length === 6) {
    const [w, s, , e, n] = parts;
    return parseBbox(field, [w, s, e, n].join(','));
  }
  return parseBbox(field, raw);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Bound {
  instant: string;
  /** A bare date: the day in China Standard Time, [00:00, next day 00:00). */
  dayEnd?: string;
}

function parseBound(field: string, raw: string, which: string): Bound {
  if (DATE.test(raw)) {
    parseDate(field, raw);
    const next = new Date(`${raw}T00:00:00+08:00`);
    next.setUTCDate(next.getUTCDate() + 1);
    return { instant: `${raw}T00:00:00+08:00`, dayEnd: next.toISOString() };
  }
  if (!DATE_TIME.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw badRequest(field, `${which} '${raw}' is not an RFC 3339 date-time (e.g. 2024-03-01T08:00:00Z) or date`);
  }
  parseDate(field, raw.slice(0, 10));
  return { instant: raw };
}

/**
 * OGC `datetime`: an instant, or an interval `start/end` where either end may be `..` or empty (open). A bare date
 * stands for that whole day. An interval must have at least one end and must not end before it starts.
 */
export function parseDatetime(field: string, raw: string | undefined): TimeInterval | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split('/');
  if (parts.length > 2) throw badRequest(field, `'${raw}' has more than one '/'`);
  if (parts.length === 1) {
    const only = parts[0] as string;
    if (only === '' || only === '..') throw badRequest(field, 'an instant cannot be open; use start/end');
    const b = parseBound(field, only, 'instant');
    return b.dayEnd ? { start: b.instant, end: b.dayEnd, endExclusive: true } : { start: b.instant, end: b.instant };
  }
  const [s, e] = parts as [string, string];
  const open = (v: string) => v === '' || v === '..';
  if (open(s) && open(e)) throw badRequest(field, 'an interval needs at least one end (start/.., ../end)');
  const start = open(s) ? undefined : parseBound(field, s, 'start');
  const end = open(e) ? undefined : parseBound(field, e, 'end');
  const out: TimeInterval = {};
  if (start) out.start = start.instant;
  if (end) {
    out.end = end.dayEnd ?? end.instant;
    if (end.dayEnd) out.endExclusive = true;
  }
  if (start && end && Date.parse(start.instant) > Date.parse(end.instant)) {
    throw badRequest(field, `the interval ends (${e}) before it starts (${s})`);
  }
  return out;
}
