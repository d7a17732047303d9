import type { FeatureCollection } from 'geojson';
import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import 'maplibre-gl/dist/maplibre-gl.css';

setWorkerUrl(workerUrl);

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** A small map of the chosen town's villages: a tap sets the location (WGS-84, as the map speaks). */
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
  const map = useRef<MapLibreMap | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!container.current) return;
    const m = new MapLibreMap({
      container: container.current,
      style: {
        version: 8,
        sources: { villages: { type: 'geojson', data: EMPTY }, picked: { type: 'geojson', data: EMPTY } },
        layers: [
          { id: 'bg', type: 'background', paint: { 'background-color': '#eef2f6' } },
          { id: 'v-fill', type: 'fill', source: 'villages', paint: { 'fill-color': '#fbf9f4' } },
          { id: 'v-line', type: 'line', source: 'villages', paint: { 'line-color': '#7c3aed', 'line-width': 1 } },
          {
            id: 'p',
            type: 'circle',
            source: 'picked',
            paint: {
              'circle-radius': 8,
              'circle-color': '#dc2626',
              'circle-stroke-color': '#fff',
              'circle-stroke-width': 2,
            },
          },
        ],
      },
      center: [111.76, 29.64],
      zoom: 10,
      attributionControl: false,
      dragRotate: false,
    });
    m.on('click', (e) => pick.current([e.lngLat.lng, e.lngLat.lat]));
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m || !villages) return;
    const apply = () => {
      m.getSource<import('maplibre-gl').GeoJSONSource>('villages')?.setData(villages);
      const xs: number[] = [];
      const ys: number[] = [];
      const walk = (c: unknown): void => {
        if (Array.isArray(c) && typeof c[0] === 'number') {
          xs.push(c[0] as number);
          ys.push(c[1] as number);
        } else if (Array.isArray(c)) for (const x of c) walk(x);
      };
      for (const f of villages.features) walk((f.geometry as { coordinates: unknown }).coordinates);
      if (xs.length)
        m.fitBounds([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], {
          padding: 10,
          animate: false,
        });
    };
    if (m.isStyleLoaded()) apply();
    else m.once('load', apply);
  }, [villages]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const data: FeatureCollection = picked
      ? {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: picked } }],
        }
      : EMPTY;
    const apply = () => m.getSource<import('maplibre-gl').GeoJSONSource>('picked')?.setData(data);
    if (m.isStyleLoaded()) apply();
    else m.once('load', apply);
  }, [picked]);

  return <div ref={container} className="report-map" data-testid="report-map" />;
}
