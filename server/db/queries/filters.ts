import type { DisputeCategory, DisputeStatus } from '../../domain/vocabulary.js';
import type { Sql } from '../types.js';

/** The dashboard's shared dispute filters, already validated by the route. */
export interface DisputeFilter {
  town?: string;
  village?: string;
  statuses?: readonly DisputeStatus[];
  categories?: readonly DisputeCategory[];
  /** Inclusive calendar dates (YYYY-MM-DD) in China Standard Time, the county's own calendar. */
  from?: string;
  to?: string;
  bbox?: readonly [number, number, number, number];
}

/** Collects WHERE conditions with numbered parameters; values never enter the SQL text. */
export class Where {
  private readonly conditions: string[] = [];
  constructor(readonly values: unknown[] = []) {}

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  toSql(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/** Adds the dispute filter to `where` for a table aliased `alias` (e.g. "d"). */
export function applyDisputeFilter(where: Where, f: DisputeFilter, alias = 'd'): Where {
  if (f.town) where.add(`${alias}.town_code = ${where.param(f.town)}`);
  if (f.village) where.add(`${alias}.village_code = ${where.param(f.village)}`);
  if (f.statuses && f.statuses.length > 0) where.add(`${alias}.status = ANY(${where.param(f.statuses)}::text[])`);
  if (f.categories && f.categories.length > 0) {
    where.add(`${alias}.category = ANY(${where.param(f.categories)}::text[])`);
  }
  // Dates are days in the county's time zone (UTC+8), whatever the server's zone is.
  if (f.from)
    where.add(`${alias}.reported_at >= (${where.param(f.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.to) {
    where.add(`${alias}.reported_at < ((${where.param(f.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  }
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    // ST_Intersects against an envelope in the column's own SRID: the GiST index answers the box test, and
    // the exact test then drops points that only the index's float4-rounded boxes let in at the edges.
    where.add(
      `ST_Intersects(${alias}.geom, ST_MakeEnvelope(${where.param(w)}, ${where.param(s)}, ${where.param(e)}, ${where.param(n)}, 4326))`,
    );
  }
  return where;
}

export function sql(text: string, values: unknown[]): Sql {
  return { text, values };
}
