/** Months from `first` to `last` inclusive, YYYY-MM. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    if (out.length > 1200) break;
  }
  return out;
}

interface EventRow {
  town: string;
  month: string;
  kind: 'found' | 'resolved' | 'closed';
  count: number;
}

export interface Series {
  town: string | null;
  found: number[];
  resolved: number[];
  open: number[];
}

/**
 * Monthly found / resolved / open from per-month event counts. Open at a month's end = found so far − closed so
 * far, which is exact because the counts cover every month from the first report on.
 */
export function monthlySeries(
  rows: readonly EventRow[],
  by: 'county' | 'town',
  asOfMonth: string,
  filter: { from?: string | undefined },
) {
  if (rows.length === 0) return { months: [] as string[], series: [] as Series[] };
  let first = asOfMonth;
  let last = asOfMonth;
  for (const r of rows) {
    if (r.month < first) first = r.month;
    if (r.kind === 'found' && r.month > last) last = r.month;
  }
  if (filter.from && filter.from.slice(0, 7) > first) first = filter.from.slice(0, 7);
  const months = monthRange(first, last);
  const index = new Map(months.map((m, i) => [m, i]));
  const groups = new Map<string, { found: number[]; resolved: number[]; closed: number[] }>();
  const earlyFound = new Map<string, number>();
  const earlyClosed = new Map<string, number>();
  for (const r of rows) {
    const key = by === 'town' ? r.town : '';
    let g = groups.get(key);
    if (!g) {
      g = { found: months.map(() => 0), resolved: months.map(() => 0), closed: months.map(() => 0) };
      groups.set(key, g);
    }
    const i = index.get(r.month);
    if (i === undefined) {
      if (r.month < first) {
        if (r.kind === 'found') earlyFound.set(key, (earlyFound.get(key) ?? 0) + r.count);
        if (r.kind === 'closed') earlyClosed.set(key, (earlyClosed.get(key) ?? 0) + r.count);
      }
      continue;
    }
    (g[r.kind] as number[])[i] = ((g[r.kind] as number[])[i] ?? 0) + r.count;
  }
  const series: Series[] = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, g]) => {
      let open = (earlyFound.get(key) ?? 0) - (earlyClosed.get(key) ?? 0);
      return {
        town: by === 'town' ? key : null,
        found: g.found,
        resolved: g.resolved,
        open: g.found.map((f, i) => {
          open += f - (g.closed[i] ?? 0);
          return open;
        }),
      };
    });
  return { months, series };
}
