import { expression, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { COV, coverageLayers, siteLabel, siteLayers, uncoveredFillColor } from '../../web/src/map/coverage-layers';

const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };

const evaluate = (exp: unknown, type: 'color' | 'string', properties: Record<string, unknown>) => {
  const spec = {
    type,
    'property-type': 'data-driven',
    expression: { interpolated: type === 'color', parameters: ['zoom', 'feature'] },
  };
  const parsed = expression.createExpression(exp, spec as never);
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  return parsed.value.evaluate({ zoom: 10 }, { type: 'Point', properties, geometry: [] } as never);
};

describe('coverage view layers', () => {
  it('are valid MapLibre layers on their own sources, ids under the cov prefix', () => {
    const style: StyleSpecification = {
      version: 8,
      sources: { [COV.areas]: empty, [COV.villages]: empty, [COV.sites]: empty, [COV.selected]: empty },
      layers: [...coverageLayers(), ...siteLayers()],
    };
    expect(validateStyleMin(style)).toEqual([]);
    for (const l of [...coverageLayers(), ...siteLayers()]) expect(l.id.startsWith('cov-')).toBe(true);
  });

  it('labels a suggested site with its rank and the disputes it would newly cover', () => {
    expect(evaluate(siteLabel(), 'string', { rank: 2, newlyCovered: 417 })).toBe('#2  +417');
  });

  it('colours denser uncovered villages redder: paler stops first, the alert red last', () => {
    const exp = uncoveredFillColor();
    const stops = exp.slice(3) as (number | string)[];
    const inputs = stops.filter((_, i) => i % 2 === 0) as number[];
    expect(inputs).toEqual([...inputs].sort((a, b) => a - b));
    expect(stops.at(-1)).toBe('#dc2626');
  });
});
