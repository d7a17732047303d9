import type { TownKpis } from '../api/summary';

export type TownSortKey = 'name' | 'found' | 'resolved' | 'successRate' | 'meanDaysToResolve' | 'open';
export type SortDirection = 'asc' | 'desc';

/**
 * Sorted copy of the per-town rows (never the input itself). Names sort by the Chinese collation; a rate of
 * null (no cases) sorts last either way, and ties fall back to the town code so the order is stable.
 */
export function sortTowns(
  rows: readonly TownKpis[],
  key: TownSortKey,
  direction: SortDirection,
  locale = 'zh-CN',
): TownKpis[] {
  const collator = new Intl.Collator(locale);
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    let order: number;
    if (key === 'name') {
      order = sign * collator.compare(a.name, b.name);
    } else {
      const x = a[key];
      const y = b[key];
      if (x === null && y === null) order = 0;
      else if (x === null) return 1;
      else if (y === null) return -1;
      else order = sign * (x - y);
    }
    return order !== 0 ? order : a.code.localeCompare(b.code);
  });
}

/** The next sort after clicking a column header: same column flips, a new one starts descending (names: ascending). */
export function nextSort(
  current: { key: TownSortKey; direction: SortDirection },
  clicked: TownSortKey,
): { key: TownSortKey; direction: SortDirection } {
  if (current.key === clicked) return { key: clicked, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key: clicked, direction: clicked === 'name' ? 'asc' : 'desc' };
}
