import { expression, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { formatPoint, parsePoint } from '../../web/src/lib/cases';
import { CASE_LAYER, CASE_MARK_COLORS, caseMarkLayers, markColor } from '../../web/src/map/cases-layers';

const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };
const colorSpec = {
  type: 'color',
  'property-type': 'data-driven',
  expression: { interpolated: false, parameters: ['zoom', 'feature'] },
};

describe('case register layers', () => {
  it('are valid MapLibre layers on their own source, with ids under the overlay prefix', () => {
    const style: StyleSpecification = { version: 8, sources: { [CASE_LAYER.source]: empty }, layers: caseMarkLayers() };
    expect(validateStyleMin(style)).toEqual([]);
    for (const l of caseMarkLayers()) expect(l.id.startsWith('case-marks')).toBe(true);
  });

  it('colour the picked point apart from the selected case', () => {
    const parsed = expression.createExpression(markColor(), colorSpec as never);
    if (parsed.result !== 'success') throw new Error('bad expression');
    const at = (mark: string) =>
      parsed.value.evaluate({ zoom: 10 }, { type: 'Point', properties: { mark }, geometry: [] } as never).toString();
    expect(at('picked')).not.toBe(at('selected'));
    expect(CASE_MARK_COLORS.picked).not.toBe(CASE_MARK_COLORS.selected);
  });
});

describe('picked point in the URL', () => {
  it('round-trips and refuses malformed values', () => {
    expect(parsePoint(formatPoint(111.7612345, 29.6312345))).toEqual({ lon: 111.761235, lat: 29.631235 });
    expect(parsePoint(null)).toBeNull();
    expect(parsePoint('abc')).toBeNull();
    expect(parsePoint('200,10')).toBeNull();
  });
});
