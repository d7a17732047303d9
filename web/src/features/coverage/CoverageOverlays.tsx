import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection, Point } from 'geojson';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { coverageAreasQuery, coverageGapsQuery, coverageQuery, coverageVillagesQuery } from '../../api/coverage';
import { siteKindLabel } from '../../i18n/labels';
import { COV, coverageLayers, siteLayers } from '../../map/coverage-layers';
import type { OverlaySpec } from '../../map/dashboard-map';
import { LAYER } from '../../map/layers';
import { MapOverlay } from '../../map/MapOverlay';
import type { ViewProps } from '../views/types';
import { useCoverageState } from './useCoverageState';

function popup(title: string, rows: [string, string][]): HTMLElement {
  const root = document.createElement('div');
  root.className = 'popup';
  const h = document.createElement('strong');
  h.textContent = title;
  const dl = document.createElement('dl');
  dl.className = 'popup__rows';
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  root.append(h, dl);
  return root;
}

const NO_POINTS: FeatureCollection<Point> = { type: 'FeatureCollection', features: [] };

/** Service areas (union and one dashed ring per room), uncovered villages, suggested sites, the selected room. */
export function CoverageOverlays(_: ViewProps) {
  const { t } = useTranslation();
  const { km, sites, station } = useCoverageState();
  const areas = useQuery(coverageAreasQuery(km));
  const villages = useQuery(coverageVillagesQuery(km));
  const gaps = useQuery(coverageGapsQuery(km, sites));
  const coverage = useQuery(coverageQuery(km));
  const room = coverage.data?.rooms.find((r) => r.id === station);

  const selected = useMemo<FeatureCollection<Point>>(
    () =>
      room
        ? {
            type: 'FeatureCollection',
            features: [
              { type: 'Feature', geometry: { type: 'Point', coordinates: [room.lon, room.lat] }, properties: {} },
            ],
          }
        : NO_POINTS,
    [room],
  );

  const spec = useMemo<OverlaySpec | null>(
    () =>
      areas.data && villages.data
        ? {
            sources: {
              [COV.areas]: areas.data,
              [COV.villages]: villages.data,
              [COV.selected]: selected,
            },
            layers: coverageLayers(),
            // Rooms and police stations stay visible (they are what is covered from); open cases would clutter.
            hideBaseLayers: [LAYER.disputes],
            beforeId: LAYER.stations,
            popup: {
              layers: [COV.uncoveredFill],
              render: (f: MapGeoJSONFeature) => {
                const p = f.properties;
                return popup(`${String(p.name)} · ${String(p.townName)}`, [
                  [t('coverage.village.state'), t('coverage.village.uncovered', { km })],
                  [t('coverage.village.disputes'), String(p.disputes)],
                  [t('coverage.village.open'), String(p.openDisputes)],
                  [t('coverage.village.density'), String(p.perKm2 ?? '–')],
                ]);
              },
            },
          }
        : null,
    [areas.data, villages.data, selected, t, km],
  );
  const siteSpec = useMemo<OverlaySpec | null>(
    () =>
      gaps.data
        ? {
            sources: { [COV.sites]: gaps.data.sites },
            layers: siteLayers(),
            beforeId: LAYER.villageLabels,
            popup: {
              layers: [COV.siteCircles],
              render: (f: MapGeoJSONFeature) => {
                const p = f.properties;
                return popup(t('coverage.site.title', { rank: p.rank }), [
                  [siteKindLabel(t, p.kind), `${String(p.name)} · ${String(p.townName)}`],
                  [t('coverage.site.newly'), String(p.newlyCovered)],
                  [t('coverage.site.cumulative'), String(p.cumulative)],
                ]);
              },
            },
          }
        : null,
    [gaps.data, t],
  );
  return (
    <>
      <MapOverlay id="cov" spec={spec} />
      <MapOverlay id="cov-site" spec={siteSpec} />
    </>
  );
}
