import { expression, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import {
  roundLayers,
  SCR,
  SCREENING_COLORS,
  STATE_COLORS,
  screeningColor,
  screeningLayers,
  stateColor,
} from '../../web/src/map/uploads-layers';

const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };

const colorSpec = {
  type: 'color',
  'property-type': 'data-driven',
  expression: { interpolated: false, parameters: ['zoom', 'feature'] },
};

const evaluate = (exp: unknown, properties: Record<string, unknown>) => {
  const parsed = expression.createExpression(exp, colorSpec as never);
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  return parsed.value.evaluate({ zoom: 10 }, { type: 'Point', properties, geometry: [] } as never);
};

describe('screenings view layers', () => {
  it('are valid MapLibre layers on their own sources, with ids under the overlay prefixes', () => {
    const style: StyleSpecification = {
      version: 8,
      sources: { [SCR.villages]: empty, [SCR.points]: empty },
      layers: [...roundLayers(), ...screeningLayers()],
    };
    expect(validateStyleMin(style)).toEqual([]);
    for (const l of roundLayers()) expect(l.id.startsWith('scr-village')).toBe(true);
    for (const l of screeningLayers()) expect(l.id.startsWith('scr-point')).toBe(true);
  });

  it('colour villages by state and screenings by zero report or highest risk', () => {
    expect(String(evaluate(stateColor(), { state: 'overdue' }))).toBe(STATE_COLORS.overdue);
    expect(String(evaluate(stateColor(), { state: 'zero' }))).toBe(STATE_COLORS.zero);
    expect(String(evaluate(screeningColor(), { zeroReport: true, riskLevel: null }))).toBe(SCREENING_COLORS.zero);
    expect(String(evaluate(screeningColor(), { zeroReport: false, riskLevel: 'red' }))).toBe(SCREENING_COLORS.red);
  });
});
