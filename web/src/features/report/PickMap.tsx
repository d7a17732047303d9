import type { FeatureCollection } from 'geojson';
import type { LayerSpecification } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { geometryBbox, unionBbox } from '../../lib/geo';
import { DashboardMap, type OverlaySpec } from '../../map/dashboard-map';
import { usePickMode } from '../../map/map-context';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The picker's own small base map: the chosen town's villages and the picked point. */
const PICK_LAYERS: LayerSpecification[] = [
  { id: 'pick-bg', type: 'background', paint: { 'background-color': '#eef2f6' } },
  { id: 'pick-village-fill', type: 'fill', source: 'pick-villages', paint: { 'fill-color': '#fbf9f4' } },
  {
    id: 'pick-village-line',
    type: 'line',
    source: 'pick-villages',
    paint: { 'line-color': '#7c3aed', 'line-width': 1 },
  },
  {
    id: 'pick-point',
    type: 'circle',
    source: 'pick-point',
    paint: { 'circle-radius': 8, 'circle-color': '#dc2626', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
  },
];

/**
 * A small map of the chosen town's villages: a tap sets the location (WGS-84, as the map speaks). The same map
 * owner as the dashboard's, in "pick a location" mode for as long as it is shown.
 */
export function PickMap({
  villages,
  picked,
  onPick,
}: {
  villages: FeatureCollection | null;
  picked: [number, number] | null;
  onPick: (lonLat: [number, number]) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [owner, setOwner] = useState<DashboardMap | null>(null);

  const spec = useMemo<OverlaySpec>(
    () => ({
      sources: {
        'pick-villages': villages ?? EMPTY,
        'pick-point': picked
          ? {
              type: 'FeatureCollection',
              features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: picked } }],
            }
          : EMPTY,
      },
      layers: PICK_LAYERS,
    }),
    [villages, picked],
  );
  const specRef = useRef(spec);
  specRef.current = spec;

  useEffect(() => {
    if (!container.current) return;
    const created = new DashboardMap({
      container: container.current,
      base: specRef.current,
      center: [111.76, 29.64],
      zoom: 10,
      controls: false,
    });
    setOwner(created);
    return () => {
      created.destroy();
      setOwner(null);
    };
  }, []);

  useEffect(() => {
    owner?.setBase(spec);
  }, [owner, spec]);

  useEffect(() => {
    if (!owner || !villages || villages.features.length === 0) return;
    const bbox = unionBbox(villages.features.map((f) => geometryBbox(f.geometry)));
    if (bbox) owner.fitTo(bbox, false, 10);
  }, [owner, villages]);

  usePickMode(owner, onPick);

  return <div ref={container} className="report-map" data-testid="report-map" />;
}
