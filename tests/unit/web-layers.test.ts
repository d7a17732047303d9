import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import type { AdminUnitCollection } from '../../web/src/api/admin-units';
import { geometryBbox, unionBbox } from '../../web/src/lib/geo';
import {
  basemapSource,
  buildStyle,
  COLORS,
  DATA_SOURCES,
  disputeOpacity,
  LAYER,
  RISK_COLORS,
  SOURCE,
  STATION_COLORS,
  townFillColor,
  townSelectedFilter,
  VILLAGE_LINE_MIN_ZOOM,
} from '../../web/src/map/layers';
import { labelPoints } from '../../web/src/map/sources';

const offline = { basemapUrl: null, basemapAttribution: null };
const online = { basemapUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', basemapAttribution: '© Example' };

const layer = (style: StyleSpecification, id: string): LayerSpecification => {
  const found = style.layers.find((l) => l.id === id);
  if (!found) throw new Error(`no layer ${id}`);
  return found;
};
const order = (style: StyleSpecification, id: string) => style.layers.findIndex((l) => l.id === id);

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}
const distance = (a: string, b: string) => {
  const [x, y] = [rgb(a), rgb(b)];
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
};

describe('map style', () => {
  it('is valid MapLibre style JSON, offline and with a raster basemap', () => {
    expect(validateStyleMin(buildStyle(offline))).toEqual([]);
    expect(validateStyleMin(buildStyle(online))).toEqual([]);
  });

  it('stays valid with a town selected (the paint and filter the map owner sets later)', () => {
    const style = buildStyle(offline);
    const townFill = layer(style, LAYER.townFill);
    const selected = layer(style, LAYER.townSelectedLine);
    const disputes = layer(style, LAYER.disputes);
    if (townFill.type !== 'fill' || selected.type !== 'line' || disputes.type !== 'circle') throw new Error('types');
    townFill.paint = { ...townFill.paint, 'fill-color': townFillColor('430723108') };
    selected.filter = townSelectedFilter('430723108');
    disputes.paint = { ...disputes.paint, 'circle-opacity': disputeOpacity('430723108') };
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('fetches nothing from outside the app when there is no basemap: no glyphs, no sprite, no tiles', () => {
    const style = buildStyle(offline);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(Object.values(style.sources).every((s) => s.type === 'geojson')).toBe(true);
    expect(Object.keys(style.sources).sort()).toEqual([...DATA_SOURCES].sort());
  });

  it('puts the raster basemap directly above the background, under every boundary', () => {
    const style = buildStyle(online);
    expect(basemapSource(online)).toMatchObject({
      type: 'raster',
      tiles: [online.basemapUrl],
      attribution: '© Example',
    });
    expect(order(style, LAYER.basemap)).toBe(1);
    expect(order(style, LAYER.basemap)).toBeLessThan(order(style, LAYER.countyFill));
    expect(basemapSource(offline)).toBeNull();
  });

  it('draws open cases above stations and every boundary, with labels alone above them', () => {
    const style = buildStyle(offline);
    const disputes = order(style, LAYER.disputes);
    for (const below of [LAYER.countyFill, LAYER.townFill, LAYER.villageLine, LAYER.townLine, LAYER.countyLine]) {
      expect(order(style, below)).toBeLessThan(order(style, LAYER.stations));
    }
    expect(order(style, LAYER.stations)).toBeLessThan(disputes);
    const above = style.layers.slice(disputes + 1).map((l) => l.type);
    expect(above.every((type) => type === 'symbol')).toBe(true);
  });

  it('shows village boundaries from zoom 10, labels from a label-point source', () => {
    const style = buildStyle(offline);
    expect(layer(style, LAYER.villageLine).minzoom).toBe(VILLAGE_LINE_MIN_ZOOM);
    expect(VILLAGE_LINE_MIN_ZOOM).toBe(10);
    const townLabels = layer(style, LAYER.townLabels);
    expect(townLabels.type === 'symbol' && townLabels.source).toBe(SOURCE.townLabels);
  });

  it('colours cases by risk and stations by kind with every vocabulary value covered', () => {
    expect(Object.keys(RISK_COLORS).sort()).toEqual(['blue', 'orange', 'red', 'yellow']);
    expect(Object.keys(STATION_COLORS).sort()).toEqual([
      'court_tribunal',
      'joint_mediation_room',
      'judicial_office',
      'police_station',
      'village_mediation_committee',
    ]);
    const disputes = layer(buildStyle(offline), LAYER.disputes);
    const paint = disputes.type === 'circle' ? disputes.paint : undefined;
    expect(JSON.stringify(paint?.['circle-color'])).toContain(RISK_COLORS.red);
  });

  it('keeps the colours the e2e test counts far apart (RGB distance ≥ 60)', () => {
    const counted = { townLine: COLORS.townLine, ...RISK_COLORS };
    const others = { ...counted, ...STATION_COLORS, countyLine: COLORS.countyLine, countyFill: COLORS.countyFill };
    for (const [name, colour] of Object.entries(counted)) {
      for (const [other, otherColour] of Object.entries(others)) {
        if (other === name) continue;
        expect(distance(colour, otherColour), `${name} vs ${other}`).toBeGreaterThanOrEqual(60);
      }
    }
  });

  it('highlights only the selected town, and no town without a selection', () => {
    expect(townSelectedFilter(null)).toEqual(['==', ['get', 'code'], '']);
    expect(townSelectedFilter('430723108')).toEqual(['==', ['get', 'code'], '430723108']);
    expect(JSON.stringify(townFillColor('430723108'))).toContain(COLORS.townFillSelected);
    expect(disputeOpacity(null)).toBeTypeOf('number');
  });
});

describe('label points', () => {
  const units: AdminUnitCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: '430723108',
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [111.4, 29.7],
                [111.5, 29.7],
                [111.5, 29.9],
                [111.4, 29.7],
              ],
            ],
            [
              [
                [111.6, 29.6],
                [111.7, 29.6],
                [111.7, 29.65],
                [111.6, 29.6],
              ],
            ],
          ],
        },
        properties: {
          code: '430723108',
          name: '王家厂镇',
          level: 'town',
          parentCode: '430723',
          labelLon: 111.45,
          labelLat: 29.8,
        },
      },
      {
        type: 'Feature',
        id: '430723999',
        geometry: { type: 'MultiPolygon', coordinates: [] },
        properties: {
          code: '430723999',
          name: '无标注点',
          level: 'town',
          parentCode: '430723',
          labelLon: Number.NaN,
          labelLat: 29.8,
        },
      },
    ],
  };

  it('gives each unit one point at its label anchor, skipping units without one', () => {
    const before = JSON.stringify(units);
    const labels = labelPoints(units);
    expect(labels.features).toHaveLength(1);
    expect(labels.features[0]).toEqual({
      type: 'Feature',
      id: '430723108',
      geometry: { type: 'Point', coordinates: [111.45, 29.8] },
      properties: { code: '430723108', name: '王家厂镇', level: 'town' },
    });
    expect(JSON.stringify(units)).toBe(before);
  });

  it('frames a MultiPolygon by all its parts', () => {
    expect(geometryBbox(units.features[0]?.geometry)).toEqual([111.4, 29.6, 111.7, 29.9]);
    expect(geometryBbox(units.features[1]?.geometry)).toBeNull();
    expect(unionBbox([[0, 0, 1, 1], null, [-1, 0.5, 0.5, 2]])).toEqual([-1, 0, 1, 2]);
    expect(unionBbox([])).toBeNull();
  });
});
