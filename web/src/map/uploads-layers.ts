/** Layer specs of the screenings view (uploaded screenings, village states of a round), pure and tested. */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';

export const SCR = {
  villages: 'scr-villages',
  villageFill: 'scr-village-fill',
  villageLine: 'scr-village-line',
  points: 'scr-points',
  pointCircles: 'scr-point-circles',
} as const;

/** Village states of a round: red-ish for risks, green for a zero report, dark for overdue, pale for pending. */
export const STATE_COLORS = {
  risks: '#f97316',
  zero: '#16a34a',
  overdue: '#7f1d1d',
  pending: '#cbd5e1',
} as const;

/** Screenings: by their highest risk level; a zero report is a teal dot. */
export const SCREENING_COLORS = {
  red: '#dc2626',
  orange: '#ea580c',
  yellow: '#ca8a04',
  blue: '#2563eb',
  zero: '#0d9488',
} as const;

export function stateColor(): ExpressionSpecification {
  return [
    'match',
    ['get', 'state'],
    'risks',
    STATE_COLORS.risks,
    'zero',
    STATE_COLORS.zero,
    'overdue',
    STATE_COLORS.overdue,
    STATE_COLORS.pending,
  ];
}

export function screeningColor(): ExpressionSpecification {
  return [
    'case',
    ['get', 'zeroReport'],
    SCREENING_COLORS.zero,
    [
      'match',
      ['coalesce', ['get', 'riskLevel'], 'blue'],
      'red',
      SCREENING_COLORS.red,
      'orange',
      SCREENING_COLORS.orange,
      'yellow',
      SCREENING_COLORS.yellow,
      SCREENING_COLORS.blue,
    ],
  ];
}

export function roundLayers(): LayerSpecification[] {
  return [
    {
      id: SCR.villageFill,
      type: 'fill',
      source: SCR.villages,
      paint: { 'fill-color': stateColor(), 'fill-opacity': 0.55 },
    },
    { id: SCR.villageLine, type: 'line', source: SCR.villages, paint: { 'line-color': '#ffffff', 'line-width': 0.8 } },
  ];
}

export function screeningLayers(): LayerSpecification[] {
  return [
    {
      id: SCR.pointCircles,
      type: 'circle',
      source: SCR.points,
      paint: {
        'circle-color': screeningColor(),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 5, 13, 9],
        'circle-stroke-color': ['case', ['get', 'locationMismatch'], '#111827', '#ffffff'],
        'circle-stroke-width': ['case', ['get', 'locationMismatch'], 2.5, 1.5],
      },
    },
  ];
}
