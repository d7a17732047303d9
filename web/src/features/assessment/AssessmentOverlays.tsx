import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';
import { assessmentQuery } from '../../api/assessment';
import { ASM, scoreLayers } from '../../map/assessment-layers';
import type { OverlaySpec } from '../../map/dashboard-map';
import { LAYER } from '../../map/layers';
import { MapOverlay } from '../../map/MapOverlay';
import type { ViewProps } from '../views/types';
import { useAssessmentState } from './useAssessmentState';

function popupElement(title: string, rows: [string, string][]): HTMLElement {
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

/** The towns' scores of the period as a choropleth (always by town: rooms and stations sit inside them). */
export function AssessmentOverlays(_: ViewProps) {
  const { t } = useTranslation();
  const { period } = useAssessmentState();
  const a = useQuery({ ...assessmentQuery(period ?? '', 'town'), enabled: period !== null });
  const towns = useQuery(adminUnitsQuery('town'));
  const spec = useMemo<OverlaySpec | null>(() => {
    if (!a.data || !towns.data) return null;
    const byCode = new Map(a.data.units.map((u) => [u.key, u]));
    const features: Feature<Geometry, Record<string, unknown>>[] = [];
    for (const f of towns.data.features) {
      const u = byCode.get(f.properties.code);
      if (!u) continue;
      features.push({
        type: 'Feature',
        geometry: f.geometry,
        properties: { code: u.key, name: u.name, score: u.score, ranked: u.ranked, rank: u.rank, found: u.found },
      });
    }
    return {
      sources: { [ASM.source]: { type: 'FeatureCollection', features } as FeatureCollection },
      layers: scoreLayers(),
      hideBaseLayers: [LAYER.disputes],
      beforeId: LAYER.stations,
      popup: {
        layers: [ASM.fill],
        render: (f: MapGeoJSONFeature) => {
          const p = f.properties;
          return popupElement(String(p.name), [
            [t('assessment.score'), typeof p.score === 'number' ? p.score.toFixed(1) : '–'],
            [
              t('assessment.rank'),
              p.ranked && p.rank !== undefined && p.rank !== null ? String(p.rank) : t('assessment.notRankedShort'),
            ],
            [t('assessment.found'), String(p.found)],
          ]);
        },
      },
    };
  }, [a.data, towns.data, t]);
  return <MapOverlay id="asm" spec={spec} />;
}
