/** Layer specs of the case register view (the selected case, the point picked for a new case), pure and tested. */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';

export const CASE_LAYER = {
  source: 'case-marks',
  halo: 'case-marks-halo',
  dot: 'case-marks-dot',
} as const;

/** The selected case in the register's accent; the picked (not yet saved) point in a dashed-looking teal. */
export const CASE_MARK_COLORS = { selected: '#7c3aed', picked: '#0d9488' } as const;

export function markColor(): ExpressionSpecification {
  return ['match', ['get', 'mark'], 'picked', CASE_MARK_COLORS.picked, CASE_MARK_COLORS.selected];
}

export function caseMarkLayers(): LayerSpecification[] {
  return [
    {
      id: CASE_LAYER.halo,
      type: 'circle',
      source: CASE_LAYER.source,
      paint: { 'circle-radius': 16, 'circle-color': markColor(), 'circle-opacity': 0.22 },
    },
    {
      id: CASE_LAYER.dot,
      type: 'circle',
      source: CASE_LAYER.source,
      paint: {
        'circle-radius': 7,
        'circle-color': markColor(),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2.5,
      },
    },
  ];
}
