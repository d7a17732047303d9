import type { LayerSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { diffLayer, diffLayers } from '../../web/src/map/layer-diff';

const circle = (extra: Partial<LayerSpecification> = {}): LayerSpecification =>
  ({
    id: 'pts',
    type: 'circle',
    source: 'src',
    paint: { 'circle-color': '#dc2626', 'circle-radius': 4 },
    layout: { 'circle-sort-key': 1 },
    ...extra,
  }) as LayerSpecification;

describe('the layer diff', () => {
  it('adds a new layer below its beforeId and removes a gone one', () => {
    expect(diffLayer(undefined, circle(), undefined, 'disputes')).toEqual([
      { op: 'add', layer: circle(), beforeId: 'disputes' },
    ]);
    expect(diffLayer(circle(), undefined)).toEqual([{ op: 'remove', id: 'pts' }]);
  });

  it('does nothing for the same layer, or an equal copy of it', () => {
    const layer = circle();
    expect(diffLayer(layer, layer, 'a', 'a')).toEqual([]);
    expect(diffLayer(layer, circle(), 'a', 'a')).toEqual([]);
  });

  it('sets only the paint and layout keys that changed', () => {
    const next = circle({ paint: { 'circle-color': '#2563eb', 'circle-radius': 4 } } as Partial<LayerSpecification>);
    expect(diffLayer(circle(), next)).toEqual([{ op: 'paint', id: 'pts', key: 'circle-color', value: '#2563eb' }]);
  });

  it('resets paint and layout keys the next layer no longer sets', () => {
    const next = circle({ paint: { 'circle-color': '#dc2626' }, layout: {} } as Partial<LayerSpecification>);
    expect(diffLayer(circle(), next)).toEqual([
      { op: 'layout', id: 'pts', key: 'circle-sort-key', value: undefined },
      { op: 'paint', id: 'pts', key: 'circle-radius', value: undefined },
    ]);
  });

  it('changes the filter, and clears it when the next layer has none', () => {
    const filtered = circle({ filter: ['==', ['get', 'code'], '430723108'] } as Partial<LayerSpecification>);
    expect(diffLayer(circle(), filtered)).toEqual([
      { op: 'filter', id: 'pts', filter: ['==', ['get', 'code'], '430723108'] },
    ]);
    expect(diffLayer(filtered, circle())).toEqual([{ op: 'filter', id: 'pts', filter: null }]);
  });

  it('changes the zoom range, back to the defaults when it is removed', () => {
    const ranged = circle({ minzoom: 10, maxzoom: 14 });
    expect(diffLayer(circle(), ranged)).toEqual([{ op: 'zoom', id: 'pts', minzoom: 10, maxzoom: 14 }]);
    expect(diffLayer(ranged, circle())).toEqual([{ op: 'zoom', id: 'pts', minzoom: 0, maxzoom: 24 }]);
  });

  it('moves a layer whose beforeId changed', () => {
    expect(diffLayer(circle(), circle(), 'disputes', 'village-labels')).toEqual([
      { op: 'move', id: 'pts', beforeId: 'village-labels' },
    ]);
  });

  it('re-creates a layer whose type or source changed, which MapLibre cannot change in place', () => {
    const fill = { id: 'pts', type: 'fill', source: 'src', paint: { 'fill-color': '#fff' } } as LayerSpecification;
    expect(diffLayer(circle(), fill, 'b', 'b')).toEqual([
      { op: 'remove', id: 'pts' },
      { op: 'add', layer: fill, beforeId: 'b' },
    ]);
    const moved = circle({ source: 'other' } as Partial<LayerSpecification>);
    expect(diffLayer(circle(), moved).map((o) => o.op)).toEqual(['remove', 'add']);
  });

  it('diffs a list in order: removals first, then each layer of the next list', () => {
    const a = circle({ id: 'a' });
    const b = circle({ id: 'b' });
    const c = circle({ id: 'c' });
    expect(diffLayers([a, b], [b, c], 'x', 'x')).toEqual([
      { op: 'remove', id: 'a' },
      { op: 'add', layer: c, beforeId: 'x' },
    ]);
  });
});
