import type { MapGeoJSONFeature } from 'maplibre-gl';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverlaySpec } from '../../map/dashboard-map';
import { LAYER } from '../../map/layers';
import { MapOverlay } from '../../map/MapOverlay';
import type { ViewProps } from '../views/types';
import { meetingPick, useMeetingPick } from './meetingPick';

const PICKED = '#0d9488';

/**
 * While the meeting form picks cases on the map, a click on an open case opens a popup that adds it to (or
 * removes it from) the cases discussed; the picked cases are ringed. Aggregated tile points (several cases)
 * keep the map's own popup.
 */
export function MeetingsOverlays(_: ViewProps) {
  const { t } = useTranslation();
  const pick = useMeetingPick();
  const spec = useMemo<OverlaySpec | null>(() => {
    const town = pick.town;
    if (town === null) return null;
    const render = (feature: MapGeoJSONFeature): HTMLElement | null => {
      const p = feature.properties;
      if (Number(p.count ?? 1) > 1 || p.id === undefined) return null;
      const id = Number(p.id);
      const caseNo = typeof p.caseNo === 'string' ? p.caseNo : `#${id}`;
      const coords = feature.geometry.type === 'Point' ? feature.geometry.coordinates : [0, 0];
      const root = document.createElement('div');
      root.className = 'popup';
      root.dataset.testid = 'meeting-pick-popup';
      const title = document.createElement('strong');
      title.className = 'popup__title';
      title.textContent = caseNo;
      root.append(title);
      const line = document.createElement('p');
      root.append(line);
      if (p.townCode !== town) {
        line.textContent = t('peopleWork.mapPick.outside', { caseNo });
        return root;
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button';
      button.dataset.testid = 'meeting-pick-toggle';
      const label = (picked: boolean) => {
        button.textContent = picked
          ? `${t('peopleWork.mapPick.added', { caseNo })} · ${t('peopleWork.mapPick.removeAction')}`
          : t('peopleWork.mapPick.addAction');
      };
      label(meetingPick.get().picked.some((c) => c.id === id));
      button.addEventListener('click', () =>
        label(meetingPick.toggle({ id, caseNo, lonLat: [Number(coords[0]), Number(coords[1])] })),
      );
      root.append(button);
      return root;
    };
    return {
      sources: {
        'meeting-pick': {
          type: 'FeatureCollection',
          features: pick.picked.map((c) => ({
            type: 'Feature',
            properties: { id: c.id },
            geometry: { type: 'Point', coordinates: c.lonLat },
          })),
        },
      },
      layers: [
        {
          id: 'meeting-pick-ring',
          type: 'circle',
          source: 'meeting-pick',
          paint: {
            'circle-radius': 11,
            'circle-color': 'rgba(0,0,0,0)',
            'circle-stroke-color': PICKED,
            'circle-stroke-width': 3,
          },
        },
      ],
      // On top of the case circles it rings.
      beforeId: 'meeting-pick-on-top',
      popup: { layers: [LAYER.disputes], render },
    };
  }, [pick, t]);
  return <MapOverlay id="meeting-pick" spec={spec} />;
}
