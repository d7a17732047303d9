import { expression, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { ruleCodes } from '../../server/domain/warnings/rules';
import { warningRuleCodes } from '../../web/src/api/warnings';
import { dayLabel } from '../../web/src/features/warnings/WarningsPanel';
import { WARN, WARNING_COLORS, warningColor, warningLayers } from '../../web/src/map/warnings-layers';

const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };
const colorSpec = {
  type: 'color',
  'property-type': 'data-driven',
  expression: { interpolated: false, parameters: ['zoom', 'feature'] },
};

describe('the warnings layer', () => {
  it('is valid MapLibre layers on its own source, ids under the overlay prefix', () => {
    const style: StyleSpecification = { version: 8, sources: { [WARN.source]: empty }, layers: warningLayers() };
    expect(validateStyleMin(style)).toEqual([]);
    for (const l of warningLayers()) expect(l.id.startsWith('warnings')).toBe(true);
  });

  it('gives every rule its own colour', () => {
    const parsed = expression.createExpression(warningColor(), colorSpec as never);
    if (parsed.result !== 'success') throw new Error('bad expression');
    const at = (rule: string) =>
      parsed.value.evaluate({ zoom: 10 }, { type: 'Point', properties: { rule }, geometry: [] } as never).toString();
    const colours = warningRuleCodes.map(at);
    expect(new Set(colours).size).toBe(warningRuleCodes.length);
    expect(Object.keys(WARNING_COLORS).sort()).toEqual([...warningRuleCodes].sort());
    // The web's list of rules is the server's.
    expect(warningRuleCodes).toEqual(ruleCodes);
  });

  it('writes the day the way Chinese users do, and ISO in English', () => {
    expect(dayLabel('2023-05-17T23:59:59+08:00', 'zh-CN')).toBe('2023年5月17日');
    expect(dayLabel('2023-05-17T23:59:59+08:00', 'en')).toBe('2023-05-17');
  });
});
