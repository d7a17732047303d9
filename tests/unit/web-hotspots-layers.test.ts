import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { GI_BIN_COLORS, quantileBreaks } from '../../web/src/lib/hotspots';
import {
  choroplethLayers,
  emergingLayers,
  giBinColor,
  HOT,
  heatLayers,
  hotspotLayers,
  unresolvedLayers,
} from '../../web/src/map/hotspots-layers';

const styleWith = (layers: LayerSpecification[]): StyleSpecification => ({
  version: 8,
  sources: { [HOT.source]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
  layers,
});

describe('hot spot layer specs', () => {
  it.each([
    ['hot spots', hotspotLayers()],
    ['emerging', emergingLayers()],
    ['heat', heatLayers()],
    ['unresolved', unresolvedLayers()],
    ['choropleth', choroplethLayers([3, 10, 40, 100])],
    ['choropleth without breaks', choroplethLayers([])],
  ])('%s validate against the MapLibre style spec and use the hot- prefix', (_name, layers) => {
    expect(validateStyleMin(styleWith(layers))).toEqual([]);
    for (const l of layers) expect(l.id.startsWith('hot')).toBe(true);
  });

  it('colours every Gi* class, hot red and cold blue', () => {
    const expr = giBinColor() as unknown[];
    expect(expr[0]).toBe('match');
    for (const bin of [3, 2, 1, 0, -1, -2, -3]) {
      expect(expr[expr.indexOf(bin) + 1]).toBe(GI_BIN_COLORS[String(bin)]);
    }
  });
});

describe('choropleth class breaks', () => {
  it('gives strictly increasing quantile breaks and ignores missing values', () => {
    const breaks = quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null]);
    expect(breaks).toEqual([3, 5, 7, 9]);
    expect(quantileBreaks([5, 5, 5, 5, 9])).toEqual([5, 9]);
    expect(quantileBreaks([4, 4, 4])).toEqual([]);
  });

  it('has nothing to classify without values', () => {
    expect(quantileBreaks([null, null])).toEqual([]);
    expect(quantileBreaks([])).toEqual([]);
  });
});
