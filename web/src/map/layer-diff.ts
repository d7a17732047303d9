/**
 * What to change on the map to turn one declared layer into the next, as react-map-gl's layer diff does: added
 * and removed layers, changed and removed paint and layout keys, the filter, the zoom range, the position
 * (`beforeId`), and a re-creation when the type or source changes (MapLibre cannot change those in place). Pure.
 */
import type { FilterSpecification, LayerSpecification } from 'maplibre-gl';

export type LayerOp =
  | { op: 'add'; layer: LayerSpecification; beforeId: string | undefined }
  | { op: 'remove'; id: string }
  /** `value` undefined resets the property to its default (a key the next layer no longer sets). */
  | { op: 'paint'; id: string; key: string; value: unknown }
  | { op: 'layout'; id: string; key: string; value: unknown }
  | { op: 'filter'; id: string; filter: FilterSpecification | null }
  | { op: 'zoom'; id: string; minzoom: number; maxzoom: number }
  | { op: 'move'; id: string; beforeId: string | undefined };

/** MapLibre's zoom range when a layer sets none. */
export const DEFAULT_MIN_ZOOM = 0;
export const DEFAULT_MAX_ZOOM = 24;

type Loose = {
  id: string;
  type: string;
  source?: unknown;
  'source-layer'?: string;
  minzoom?: number;
  maxzoom?: number;
  filter?: FilterSpecification;
  paint?: Record<string, unknown>;
  layout?: Record<string, unknown>;
};

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function diffProperties(
  kind: 'paint' | 'layout',
  id: string,
  prev: Record<string, unknown> = {},
  next: Record<string, unknown> = {},
): LayerOp[] {
  const ops: LayerOp[] = [];
  for (const [key, value] of Object.entries(next)) {
    if (!same(prev[key], value)) ops.push({ op: kind, id, key, value });
  }
  for (const key of Object.keys(prev)) {
    if (!(key in next)) ops.push({ op: kind, id, key, value: undefined });
  }
  return ops;
}

/** The operations that turn `prev` (placed below `prevBefore`) into `next` (below `nextBefore`). */
export function diffLayer(
  prev: LayerSpecification | undefined,
  next: LayerSpecification | undefined,
  prevBefore?: string,
  nextBefore?: string,
): LayerOp[] {
  if (!prev && !next) return [];
  if (!next) return [{ op: 'remove', id: (prev as LayerSpecification).id }];
  if (!prev) return [{ op: 'add', layer: next, beforeId: nextBefore }];
  if (prev === next && prevBefore === nextBefore) return [];
  const p = prev as Loose;
  const n = next as Loose;
  if (p.id !== n.id || p.type !== n.type || !same(p.source, n.source) || p['source-layer'] !== n['source-layer']) {
    return [
      { op: 'remove', id: p.id },
      { op: 'add', layer: next, beforeId: nextBefore },
    ];
  }
  const ops: LayerOp[] = [];
  if (prevBefore !== nextBefore) ops.push({ op: 'move', id: n.id, beforeId: nextBefore });
  ops.push(...diffProperties('layout', n.id, p.layout, n.layout));
  ops.push(...diffProperties('paint', n.id, p.paint, n.paint));
  if (!same(p.filter, n.filter)) ops.push({ op: 'filter', id: n.id, filter: n.filter ?? null });
  if (p.minzoom !== n.minzoom || p.maxzoom !== n.maxzoom) {
    ops.push({ op: 'zoom', id: n.id, minzoom: n.minzoom ?? DEFAULT_MIN_ZOOM, maxzoom: n.maxzoom ?? DEFAULT_MAX_ZOOM });
  }
  return ops;
}

/**
 * The operations that turn one ordered list of layers into the next, all placed below `prevBefore` /
 * `nextBefore` (undefined: on top), keeping the list's order: removed layers first, then each next layer in order.
 */
export function diffLayers(
  prev: readonly LayerSpecification[],
  next: readonly LayerSpecification[],
  prevBefore?: string,
  nextBefore?: string,
): LayerOp[] {
  const nextIds = new Set(next.map((l) => l.id));
  const prevById = new Map(prev.map((l) => [l.id, l]));
  const ops: LayerOp[] = prev.filter((l) => !nextIds.has(l.id)).map((l) => ({ op: 'remove', id: l.id }) as LayerOp);
  for (const layer of next) ops.push(...diffLayer(prevById.get(layer.id), layer, prevBefore, nextBefore));
  return ops;
}
