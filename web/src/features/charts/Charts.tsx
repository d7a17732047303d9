import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { categoriesQuery, monthlyQuery, unitsQuery, weekdayHourQuery } from '../../api/analytics';
import { weekdays } from '../../api/vocabulary';
import { categoryLabel } from '../../i18n/labels';
import { QueryBoundary } from '../common/QueryBoundary';
import { useDisputeFilters } from '../filters/useFilters';
import type { ViewProps } from '../views/types';
import { type ChartOption, EChart } from './EChart';

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#f59e0b', '#7c3aed', '#0d9488', '#db2777', '#92400e', '#64748b'];
const TEXT = { color: '#334155', fontSize: 11 };

function ChartCard({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <figure className="hot-chart-card" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {children}
    </figure>
  );
}

/** Monthly trend, category mix, town ranking and the weekday × hour chart, all under the shared filters. */
export default function Charts({ town }: ViewProps) {
  const { t } = useTranslation();
  const filters = useDisputeFilters(town);
  const countyFilters = useMemo(() => ({ ...filters, town: undefined }), [filters]);
  const monthly = useQuery(monthlyQuery(filters));
  const categories = useQuery(categoriesQuery(filters));
  const towns = useQuery(unitsQuery('town', countyFilters));
  const weekly = useQuery(weekdayHourQuery(filters));

  const monthlyOption = useMemo<ChartOption | null>(() => {
    const s = monthly.data?.series[0];
    if (!monthly.data || !s) return null;
    return {
      color: ['#2563eb', '#16a34a', '#dc2626'],
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: TEXT },
      grid: { left: 40, right: 40, top: 30, bottom: 24 },
      xAxis: { type: 'category', data: monthly.data.months, axisLabel: TEXT },
      yAxis: [
        { type: 'value', axisLabel: TEXT },
        { type: 'value', axisLabel: TEXT, splitLine: { show: false } },
      ],
      series: [
        { name: t('charts.found'), type: 'bar', data: s.found, barMaxWidth: 6 },
        { name: t('charts.resolved'), type: 'line', data: s.resolved, showSymbol: false, smooth: true },
        {
          name: t('charts.open'),
          type: 'line',
          yAxisIndex: 1,
          data: s.open,
          showSymbol: false,
          lineStyle: { width: 2 },
        },
      ],
    };
  }, [monthly.data, t]);

  const categoryOption = useMemo<ChartOption | null>(() => {
    if (!categories.data) return null;
    return {
      color: PALETTE,
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: {
        orient: 'vertical',
        right: 0,
        top: 'middle',
        itemWidth: 10,
        itemHeight: 10,
        itemGap: 5,
        textStyle: TEXT,
      },
      series: [
        {
          type: 'pie',
          radius: ['38%', '70%'],
          center: ['32%', '50%'],
          label: { show: false },
          data: categories.data.categories
            .filter((c) => c.found > 0)
            .map((c) => ({ name: categoryLabel(t, c.category), value: c.found })),
        },
      ],
    };
  }, [categories.data, t]);

  const rankingOption = useMemo<ChartOption | null>(() => {
    if (!towns.data) return null;
    const rows = [...towns.data.units].sort((a, b) => (a.successRate ?? -1) - (b.successRate ?? -1));
    return {
      color: ['#16a34a', '#dc2626'],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0, textStyle: TEXT },
      grid: { left: 70, right: 16, top: 24, bottom: 48 },
      xAxis: [
        { type: 'value', min: 0, max: 100, axisLabel: { ...TEXT, formatter: '{value}%' }, position: 'bottom' },
        { type: 'value', axisLabel: TEXT, position: 'top', splitLine: { show: false } },
      ],
      yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { ...TEXT, fontSize: 10 } },
      series: [
        {
          name: t('charts.successRate'),
          type: 'bar',
          data: rows.map((r) => (r.successRate === null ? null : Math.round(r.successRate * 1000) / 10)),
          barMaxWidth: 8,
        },
        { name: t('charts.open'), type: 'bar', xAxisIndex: 1, data: rows.map((r) => r.open), barMaxWidth: 8 },
      ],
    };
  }, [towns.data, t]);

  const weeklyOption = useMemo<ChartOption | null>(() => {
    if (!weekly.data) return null;
    const data = weekly.data.counts.flatMap((row, d) => row.map((n, h) => [h, d, n]));
    const max = Math.max(1, ...data.map((v) => v[2] as number));
    const days = weekdays.map((d) => t(`charts.weekday.${d}`));
    return {
      tooltip: { position: 'top' },
      grid: { left: 40, right: 10, top: 8, bottom: 50 },
      xAxis: {
        type: 'category',
        data: Array.from({ length: 24 }, (_, h) => String(h)),
        axisLabel: TEXT,
        splitArea: { show: true },
      },
      yAxis: { type: 'category', data: days, axisLabel: TEXT, inverse: true },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        textStyle: TEXT,
        inRange: { color: ['#f8fafc', '#fde68a', '#f97316', '#b91c1c'] },
      },
      series: [{ type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } } }],
    };
  }, [weekly.data, t]);

  const body = <T,>(
    q: UseQueryResult<T>,
    option: ChartOption | null,
    height: number,
    testId: string,
    isEmpty: (data: T) => boolean,
  ) => (
    <QueryBoundary
      query={q}
      isEmpty={(d) => isEmpty(d) || !option}
      empty={<p className="hot-empty">{t('hotspots.empty')}</p>}
    >
      {() => option && <EChart option={option} height={height} testId={testId} />}
    </QueryBoundary>
  );

  return (
    <section className="hot-section" aria-label={t('charts.title')}>
      <h2 className="section-title">{t('charts.title')}</h2>
      <ChartCard title={t('charts.monthly')} testId="chart-monthly">
        {body(monthly, monthlyOption, 210, 'chart-monthly-canvas', (d) => d.months.length === 0)}
      </ChartCard>
      <ChartCard title={t('charts.categories')} testId="chart-categories">
        {body(
          categories,
          categoryOption,
          190,
          'chart-categories-canvas',
          (d) => !d.categories.some((c) => c.found > 0),
        )}
      </ChartCard>
      <ChartCard title={t('charts.ranking')} testId="chart-ranking">
        {body(towns, rankingOption, 420, 'chart-ranking-canvas', (d) => d.units.length === 0)}
      </ChartCard>
      <ChartCard title={t('charts.weekdayHour')} testId="chart-weekday-hour">
        {body(weekly, weeklyOption, 230, 'chart-weekday-canvas', (d) => !d.counts.flat().some((n) => n > 0))}
      </ChartCard>
    </section>
  );
}
