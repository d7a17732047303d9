import { useQuery } from '@tanstack/react-query';
import type { ParseKeys } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { summaryQuery } from '../../api/summary';
import { formatCount, formatPercent } from '../../lib/format';
import { nextSort, type SortDirection, sortTowns, type TownSortKey } from '../../lib/towns';
import { QueryBoundary } from '../common/QueryBoundary';
import { useDisputeFilters } from '../filters/useFilters';

interface TownTableProps {
  selected: string | null;
  onSelect: (code: string) => void;
}

const columns: { key: TownSortKey; label: ParseKeys; numeric: boolean }[] = [
  { key: 'name', label: 'towns.name', numeric: false },
  { key: 'found', label: 'towns.found', numeric: true },
  { key: 'resolved', label: 'towns.resolved', numeric: true },
  { key: 'successRate', label: 'towns.rate', numeric: true },
  { key: 'meanDaysToResolve', label: 'townResolution.meanDays', numeric: true },
  { key: 'open', label: 'towns.open', numeric: true },
];

/** Bands for the rate chip: the county's own 96.3 % sits in the top band. */
function rateTone(rate: number | null): 'good' | 'fair' | 'poor' | 'none' {
  if (rate === null) return 'none';
  if (rate >= 0.95) return 'good';
  if (rate >= 0.9) return 'fair';
  return 'poor';
}

/** Per-town figures from the county summary; a row click selects the town, as a click on the map does. */
export function TownTable({ selected, onSelect }: TownTableProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const filters = useDisputeFilters(null);
  const summary = useQuery(summaryQuery(undefined, filters));
  const [sort, setSort] = useState<{ key: TownSortKey; direction: SortDirection }>({ key: 'found', direction: 'desc' });
  const rows = useMemo(
    () => (summary.data ? sortTowns(summary.data.towns, sort.key, sort.direction, 'zh-CN') : []),
    [summary.data, sort],
  );
  const maxFound = useMemo(() => Math.max(1, ...rows.map((r) => r.found)), [rows]);

  return (
    <section className="panel panel--table" aria-labelledby="towns-title">
      <div className="panel__heading">
        <h2 id="towns-title" className="panel__title">
          {t('towns.title')}
        </h2>
        <span className="panel__hint">{t('towns.hint')}</span>
      </div>
      <QueryBoundary query={summary} lines={6}>
        {() => (
          <div className="table-scroll">
            <table className="town-table" data-testid="town-table">
              <thead>
                <tr>
                  {columns.map((column) => {
                    const active = sort.key === column.key;
                    const label = t(column.label);
                    return (
                      <th
                        key={column.key}
                        scope="col"
                        className={column.numeric ? 'num' : undefined}
                        aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                      >
                        <button
                          type="button"
                          className="sort-button"
                          title={t('towns.sortBy', { column: label })}
                          data-testid={`sort-${column.key}`}
                          onClick={() => setSort((current) => nextSort(current, column.key))}
                        >
                          {label}
                          <span className="sort-button__arrow" aria-hidden="true">
                            {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                          </span>
                        </button>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr
                    key={row.code}
                    data-testid={`town-row-${row.code}`}
                    aria-selected={row.code === selected}
                    className={row.code === selected ? 'is-selected' : undefined}
                    onClick={() => onSelect(row.code)}
                  >
                    <th scope="row">
                      {/* The click bubbles to the row; the button gives keyboard users a focus stop. */}
                      <button type="button" className="row-button">
                        {row.name}
                      </button>
                    </th>
                    <td className="num">
                      <span className="bar-cell">
                        <span className="bar-cell__bar" style={{ width: `${(row.found / maxFound) * 100}%` }} />
                        <span className="bar-cell__value">{formatCount(row.found, locale)}</span>
                      </span>
                    </td>
                    <td className="num">{formatCount(row.resolved, locale)}</td>
                    <td className="num">
                      <span className={`rate-chip rate-chip--${rateTone(row.successRate)}`}>
                        {formatPercent(row.successRate, locale)}
                      </span>
                    </td>
                    <td className="num" data-testid={`mean-days-${row.code}`}>
                      {row.meanDaysToResolve === null
                        ? '—'
                        : t('townResolution.days', {
                            days: row.meanDaysToResolve.toLocaleString(locale, {
                              minimumFractionDigits: 1,
                              maximumFractionDigits: 1,
                            }),
                          })}
                    </td>
                    <td className={`num ${row.open > 0 ? 'open-count' : ''}`}>{formatCount(row.open, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryBoundary>
    </section>
  );
}
