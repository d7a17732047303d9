import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';
import { densityQuery, emergingQuery, hotspotsQuery, unitsQuery, unresolvedQuery } from '../../api/analytics';
import { binLabel, categoryLabel, patternLabel, riskLevelLabel } from '../../i18n/labels';
import { cellIdOf, cellParam, type PickedCell, ringCentre } from '../../lib/cells';
import { hotspotZoom, isRateKpi, quantileBreaks } from '../../lib/hotspots';
import type { OverlaySpec } from '../../map/dashboard-map';
import {
  choroplethLayers,
  emergingLayers,
  HOT,
  heatLayers,
  hotspotLayers,
  unresolvedLayers,
} from '../../map/hotspots-layers';
import { LAYER } from '../../map/layers';
import { MapOverlay } from '../../map/MapOverlay';
import { useMe } from '../auth/useMe';
import { useDisputeFilters } from '../filters/useFilters';
import { useUrlParam } from '../selection/useUrlParam';
import type { ViewProps } from '../views/types';
import { useHotspotState } from './useHotspotState';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

function popupElement(rows: [string, string][], action?: { label: string; run: () => void }): HTMLElement {
  const root = document.createElement('div');
  root.className = 'popup';
  const dl = document.createElement('dl');
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  root.append(dl);
  if (action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.dataset.testid = 'cell-assign-task';
    button.textContent = action.label;
    button.addEventListener('click', action.run);
    root.append(button);
  }
  return root;
}

/** The hexagon under the popup as a task's subject: its stored id at the answer's size, and its centre. */
function pickedCell(f: MapGeoJSONFeature, size: number | undefined): PickedCell | null {
  const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : undefined;
  const q = Number(f.properties.q);
  const r = Number(f.properties.r);
  if (!ring || !size || !Number.isInteger(q) || !Number.isInteger(r)) return null;
  const [lon, lat] = ringCentre(ring);
  return { size, id: cellIdOf(q, r), lon, lat };
}

/**
 * The view's single overlay: one source (`hot-data`) whose data and layers follow the layer switcher. Data
 * of the previous filter stays on screen until the next arrives (keepPreviousData), so nothing flashes.
 */
export function HotspotsOverlays({ town }: ViewProps) {
  const { t, i18n } = useTranslation();
  const { layer, kpi } = useHotspotState();
  const filters = useDisputeFilters(town);
  const zoom = hotspotZoom(town);
  const cells = useQuery({
    ...hotspotsQuery(filters, layer === 'risks' ? 'risks' : 'disputes', zoom),
    enabled: layer === 'hotspots' || layer === 'risks',
  });
  const emerging = useQuery({ ...emergingQuery(filters, zoom), enabled: layer === 'emerging' });
  const heat = useQuery({ ...densityQuery(filters), enabled: layer === 'heat' });
  const unresolved = useQuery({ ...unresolvedQuery(filters), enabled: layer === 'unresolved' });
  const unitLevel = town ? 'village' : 'town';
  const units = useQuery({ ...unitsQuery(unitLevel, filters), enabled: layer === 'choropleth' });
  const boundaries = useQuery({
    ...adminUnitsQuery(unitLevel === 'town' ? 'town' : 'village'),
    enabled: layer === 'choropleth',
  });

  const choropleth = useMemo(() => {
    if (!units.data || !boundaries.data) return null;
    const byCode = new Map(units.data.units.map((u) => [u.code, u]));
    const features: Feature<Geometry, { code: string; name: string; value: number | null }>[] = [];
    for (const f of boundaries.data.features) {
      const u = byCode.get(f.properties.code);
      if (!u) continue;
      features.push({
        type: 'Feature',
        geometry: f.geometry,
        properties: { code: u.code, name: u.name, value: u[kpi] },
      });
    }
    const breaks = quantileBreaks(features.map((f) => f.properties.value));
    return { data: { type: 'FeatureCollection', features } as FeatureCollection, breaks };
  }, [units.data, boundaries.data, kpi]);

  const me = useMe();
  const [, setCell] = useUrlParam('cell');
  const canAssign = me?.role === 'admin' || me?.role === 'leader' || me?.role === 'town_officer';
  const cellSize = layer === 'emerging' ? emerging.data?.meta.cellSize : cells.data?.meta.cellSize;
  // 交办 from a hot-spot cell: the popup's button opens the task form in the panel's cell drill-down.
  const assignCell = useCallback(
    (f: MapGeoJSONFeature) => {
      const c = canAssign ? pickedCell(f, cellSize) : null;
      return c ? { label: t('taskEntry.assignCell'), run: () => setCell(cellParam(c)) } : undefined;
    },
    [canAssign, cellSize, setCell, t],
  );

  const locale = i18n.language;
  const spec = useMemo<OverlaySpec | null>(() => {
    const hide = [LAYER.disputes];
    const fmt = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 2 });
    switch (layer) {
      case 'hotspots':
      case 'risks':
        return {
          sources: { [HOT.source]: (cells.data as FeatureCollection | undefined) ?? EMPTY },
          layers: hotspotLayers(),
          hideBaseLayers: hide,
          popup: {
            layers: [HOT.fill],
            render: (f: MapGeoJSONFeature) =>
              popupElement(
                [
                  [t('hotspots.popup.count'), fmt(Number(f.properties.count))],
                  [t('hotspots.popup.z'), fmt(Number(f.properties.z))],
                  [t('hotspots.popup.class'), binLabel(t, f.properties.bin)],
                ],
                assignCell(f),
              ),
          },
        };
      case 'emerging':
        return {
          sources: { [HOT.source]: (emerging.data as FeatureCollection | undefined) ?? EMPTY },
          layers: emergingLayers(),
          hideBaseLayers: hide,
          popup: {
            layers: [HOT.fill],
            render: (f: MapGeoJSONFeature) =>
              popupElement(
                [
                  [t('hotspots.popup.pattern'), patternLabel(t, f.properties.pattern)],
                  [t('hotspots.popup.count'), fmt(Number(f.properties.count))],
                  [t('hotspots.popup.recent'), fmt(Number(f.properties.recent))],
                  [t('hotspots.popup.trend'), fmt(Number(f.properties.trendZ))],
                ],
                assignCell(f),
              ),
          },
        };
      case 'heat':
        return {
          sources: { [HOT.source]: (heat.data as FeatureCollection | undefined) ?? EMPTY },
          layers: heatLayers(),
          hideBaseLayers: hide,
        };
      case 'unresolved':
        return {
          sources: { [HOT.source]: (unresolved.data?.cases as FeatureCollection | undefined) ?? EMPTY },
          layers: unresolvedLayers(),
          beforeId: LAYER.disputes,
          hideBaseLayers: hide,
          popup: {
            layers: [HOT.points],
            render: (f: MapGeoJSONFeature) =>
              popupElement([
                [t('hotspots.popup.case'), String(f.properties.caseNo)],
                [t('hotspots.popup.category'), categoryLabel(t, f.properties.category)],
                [t('hotspots.popup.risk'), riskLevelLabel(t, f.properties.riskLevel)],
                [t('hotspots.popup.age'), t('hotspots.days', { count: Number(f.properties.ageDays) })],
                [
                  t('hotspots.popup.overdue'),
                  f.properties.overdue === true || f.properties.overdue === 'true'
                    ? t('hotspots.overdueYes', { limit: f.properties.limitDays })
                    : t('hotspots.overdueNo', { limit: f.properties.limitDays }),
                ],
              ]),
          },
        };
      case 'choropleth':
        return {
          sources: { [HOT.source]: choropleth?.data ?? EMPTY },
          layers: choroplethLayers(choropleth?.breaks ?? []),
          hideBaseLayers: hide,
          popup: {
            layers: [HOT.fill],
            render: (f: MapGeoJSONFeature) => {
              const v = f.properties.value;
              const shown =
                v === null || v === undefined || v === 'null'
                  ? '—'
                  : isRateKpi(kpi)
                    ? `${(Number(v) * 100).toFixed(1)} %`
                    : fmt(Number(v));
              return popupElement([
                [t('hotspots.popup.unit'), String(f.properties.name)],
                [t(`hotspots.kpi.${kpi}`), shown],
              ]);
            },
          },
        };
    }
  }, [layer, cells.data, emerging.data, heat.data, unresolved.data, choropleth, kpi, t, locale, assignCell]);

  return <MapOverlay id="hot" spec={spec} />;
}
