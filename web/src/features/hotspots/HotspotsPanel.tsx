import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { CHOROPLETH_KPIS, type ChoroplethKpi, HOT_LAYERS } from '../../lib/hotspots';
import { QueryLoading } from '../common/QueryStatus';
import { KpiPanel } from '../kpis/KpiPanel';
import type { ViewProps } from '../views/types';
import { UnitList } from '../village/UnitList';
import { CellTask } from './CellTask';
import { HotspotLegend } from './HotspotLegend';
import { useHotspotState } from './useHotspotState';
import './hotspots.css';

// ECharts is large: the charts load on their own, after the map and the KPIs.
const Charts = lazy(() => import('../charts/Charts'));

/** Hot spots, heat, unresolved cases and KPI choropleths, with drill-down and trend charts. */
export function HotspotsPanel({ town, onSelectTown }: ViewProps) {
  const { t } = useTranslation();
  const { layer, setLayer, kpi, setKpi } = useHotspotState();
  return (
    <div className="hot-panel">
      <CellTask town={town} />
      <KpiPanel town={town} />
      <section className="hot-section" aria-label={t('hotspots.layers')}>
        <h2 className="section-title">{t('hotspots.layers')}</h2>
        <div className="hot-switcher">
          {HOT_LAYERS.map((id) => (
            <button
              key={id}
              type="button"
              aria-pressed={layer === id}
              className={layer === id ? 'hot-chip hot-chip--active' : 'hot-chip'}
              data-testid={`hot-layer-${id}`}
              onClick={() => setLayer(id === 'hotspots' ? null : id)}
            >
              {t(`hotspots.layer.${id}`)}
            </button>
          ))}
        </div>
        {layer === 'choropleth' ? (
          <label className="hot-kpi">
            <span>{t('hotspots.kpiLabel')}</span>
            <select
              value={kpi}
              data-testid="hot-kpi"
              onChange={(e) => setKpi(e.target.value === 'found' ? null : (e.target.value as ChoroplethKpi), true)}
            >
              {CHOROPLETH_KPIS.map((k) => (
                <option key={k} value={k}>
                  {t(`hotspots.kpi.${k}`)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <HotspotLegend layer={layer} town={town} />
      </section>
      <UnitList town={town} onSelectTown={onSelectTown} />
      <Suspense fallback={<QueryLoading lines={4} />}>
        <Charts town={town} onSelectTown={onSelectTown} />
      </Suspense>
    </div>
  );
}
