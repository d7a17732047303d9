import { useQuery } from '@tanstack/react-query';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { batchScreeningsQuery, roundVillagesQuery } from '../../api/uploads';
import { riskLevelLabel, villageStateLabel } from '../../i18n/labels';
import type { OverlaySpec } from '../../map/dashboard-map';
import { LAYER } from '../../map/layers';
import { MapOverlay } from '../../map/MapOverlay';
import { useDashboardMap } from '../../map/map-context';
import { roundLayers, SCR, screeningLayers } from '../../map/uploads-layers';
import type { ViewProps } from '../views/types';
import { useIdParam, useShownRound } from './ScreeningsPanel';

function popup(rows: [string, string][]): HTMLElement {
  const root = document.createElement('div');
  root.className = 'popup';
  const dl = document.createElement('dl');
  dl.className = 'popup__rows';
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  root.append(dl);
  return root;
}

/** Village states of the selected round (fills) and the points of the selected upload batch. */
export function ScreeningsOverlays(_: ViewProps) {
  const { t } = useTranslation();
  const [round] = useShownRound();
  const [batch] = useIdParam('batch');
  const villages = useQuery(roundVillagesQuery(round));
  const points = useQuery(batchScreeningsQuery(batch));
  const map = useDashboardMap();

  // Frame a batch's points once they arrive, close enough for the village boundaries to show.
  useEffect(() => {
    const features = points.data?.features ?? [];
    if (!map || batch === null || features.length === 0) return;
    const xs = features.map((f) => f.geometry.coordinates[0] as number);
    const ys = features.map((f) => f.geometry.coordinates[1] as number);
    const pad = 0.01;
    map.fitTo([Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad], false);
  }, [map, batch, points.data]);

  const roundSpec = useMemo<OverlaySpec | null>(
    () =>
      round !== null && villages.data
        ? {
            sources: { [SCR.villages]: villages.data },
            layers: roundLayers(),
            hideBaseLayers: [LAYER.disputes],
            popup: {
              layers: [SCR.villageFill],
              render: (f: MapGeoJSONFeature) =>
                popup([[String(f.properties.name), villageStateLabel(t, f.properties.state)]]),
            },
          }
        : null,
    [round, villages.data, t],
  );
  const pointSpec = useMemo<OverlaySpec | null>(
    () =>
      batch !== null && points.data
        ? {
            sources: { [SCR.points]: points.data },
            layers: screeningLayers(),
            hideBaseLayers: [LAYER.disputes],
            popup: {
              layers: [SCR.pointCircles],
              render: (f: MapGeoJSONFeature) => {
                const p = f.properties;
                const rows: [string, string][] = [
                  [String(p.town), String(p.village)],
                  [String(p.screenedOn), p.zeroReport ? t('uploads.zeroReport') : riskLevelLabel(t, p.riskLevel)],
                ];
                if (p.locationMismatch) rows.push(['⚠', t('uploads.mismatch')]);
                return popup(rows);
              },
            },
          }
        : null,
    [batch, points.data, t],
  );
  return (
    <>
      <MapOverlay id="scr-village" spec={roundSpec} />
      <MapOverlay id="scr-point" spec={pointSpec} />
    </>
  );
}
