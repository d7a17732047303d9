import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { caseDetailQuery } from '../../api/cases';
import { formatPoint, parsePoint } from '../../lib/cases';
import { CASE_LAYER, caseMarkLayers } from '../../map/cases-layers';
import type { OverlaySpec } from '../../map/dashboard-map';
import { MapOverlay } from '../../map/MapOverlay';
import { useDashboardMap, usePickMode } from '../../map/map-context';
import type { ViewProps } from '../views/types';
import { useCaseState } from './useCaseState';

/** Marks the selected case and the point picked for a new one; while the form is open a map click picks it. */
export function CasesOverlays(_: ViewProps) {
  const { caseId, mode, at, setAt } = useCaseState();
  const detail = useQuery({ ...caseDetailQuery(caseId ?? 0), enabled: caseId !== null });
  // While the form is open the map picks the case's location (no popups, no town clicks meanwhile).
  const onPick = useCallback(([lon, lat]: [number, number]) => setAt(formatPoint(lon, lat), true), [setAt]);
  usePickMode(useDashboardMap(), mode ? onPick : null);

  const d = detail.data;
  const spec = useMemo<OverlaySpec>(() => {
    const picked = parsePoint(at);
    const features: GeoJSON.Feature[] = [];
    if (d && caseId !== null) {
      features.push({
        type: 'Feature',
        properties: { mark: 'selected' },
        geometry: { type: 'Point', coordinates: [d.lon, d.lat] },
      });
    }
    if (mode && picked) {
      features.push({
        type: 'Feature',
        properties: { mark: 'picked' },
        geometry: { type: 'Point', coordinates: [picked.lon, picked.lat] },
      });
    }
    return {
      sources: { [CASE_LAYER.source]: { type: 'FeatureCollection', features } },
      layers: caseMarkLayers(),
      // An id that names no layer: the marks go on top of everything, above the case circles they point at.
      beforeId: 'case-marks-on-top',
    };
  }, [d, caseId, mode, at]);

  return <MapOverlay id="case-marks" spec={spec} />;
}
