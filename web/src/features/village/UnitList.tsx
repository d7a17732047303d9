import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type UnitKpis, unitsQuery } from '../../api/analytics';
import { formatCount, formatPercent } from '../../lib/format';
import { QueryBoundary } from '../common/QueryBoundary';
import { useDisputeFilters } from '../filters/useFilters';
import { useUrlParam } from '../selection/useUrlParam';
import type { ViewProps } from '../views/types';
import { VillagePanel } from './VillagePanel';

/**
 * Drill-down county → town → village: the towns (or the selected town's villages) with their counts and
 * resolution levels under the shared filters; a town selects it, a village opens its cases.
 */
export function UnitList({ town, onSelectTown }: ViewProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const filters = useDisputeFilters(town);
  const [villageParam, setVillage] = useUrlParam('village');
  const village = town && villageParam?.startsWith(town) ? villageParam : null;
  const level = town ? 'village' : 'town';
  const units = useQuery(unitsQuery(level, filters));

  if (village) return <VillagePanel village={village} town={town} onBack={() => setVillage(null)} />;

  const rows: UnitKpis[] = units.data ? [...units.data.units].sort((a, b) => b.found - a.found) : [];
  return (
    <section className="hot-section" aria-label={t(`hotspots.units.${level}`)}>
      <h2 className="section-title">{t(`hotspots.units.${level}`)}</h2>
      <QueryBoundary
        query={units}
        lines={5}
        isEmpty={() => rows.length === 0}
        empty={<p className="hot-empty">{t('hotspots.empty')}</p>}
      >
        {() => (
          <div className="hot-table-wrap" data-updating={units.isPlaceholderData}>
            <table className="hot-table" data-testid={`hot-${level}-table`}>
              <thead>
                <tr>
                  <th>{t(`hotspots.units.name.${level}`)}</th>
                  <th>{t('hotspots.kpi.found')}</th>
                  <th>{t('hotspots.kpi.open')}</th>
                  <th>{t('hotspots.kpi.overdue')}</th>
                  <th>{t('hotspots.kpi.successRate')}</th>
                  <th title={t('kpi.villageLevelHint')}>{t('hotspots.kpi.villageLevelRate')}</th>
                  <th title={t('kpi.townLevelHint')}>{t('hotspots.kpi.townLevelRate')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((u) => (
                  <tr key={u.code}>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        data-testid={`hot-unit-${u.code}`}
                        onClick={() => (level === 'town' ? onSelectTown(u.code) : setVillage(u.code))}
                      >
                        {u.name}
                      </button>
                    </td>
                    <td>{formatCount(u.found, locale)}</td>
                    <td>{formatCount(u.open, locale)}</td>
                    <td className={u.overdue > 0 ? 'hot-overdue' : undefined}>{formatCount(u.overdue, locale)}</td>
                    <td>{formatPercent(u.successRate, locale)}</td>
                    <td title={`${u.resolvedAtVillage} / ${u.resolved}`}>
                      {formatPercent(u.villageLevelRate, locale)}
                    </td>
                    <td title={`${u.resolvedAtVillage + u.resolvedAtTown} / ${u.resolved}`}>
                      {formatPercent(u.townLevelRate, locale)}
                    </td>
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
