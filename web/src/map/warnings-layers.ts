/** Layer specs of the warnings layer (the overview's map), pure and tested. */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { WarningRuleCode } from '../api/warnings';

export const WARN = {
  source: 'warnings',
  halo: 'warnings-halo',
  dot: 'warnings-dot',
} as const;

/** One colour per rule; county-level warnings get a thick dark ring so they stand out from town ones. */
export const WARNING_COLORS: Record<WarningRuleCode, string> = {
  acceptance_overdue: '#b91c1c',
  repeat_party: '#9333ea',
  escalation: '#e11d48',
  emerging_hotspot: '#ea580c',
  screening_overdue: '#0369a1',
  room_overload: '#a16207',
  reopened_soon: '#0f766e',
  mediator_register: '#4338ca',
};

export function warningColor(): ExpressionSpecification {
  const pairs = Object.entries(WARNING_COLORS).flat();
  return ['match', ['get', 'rule'], ...pairs, '#475569'] as unknown as ExpressionSpecification;
}

/** Settled warnings (dismissed, tasked) stay on the map faded, so the open ones are what the eye finds. */
export function warningOpacity(): ExpressionSpecification {
  return ['match', ['get', 'status'], ['dismissed', 'tasked'], 0.35, 1];
}

/**
 * A target marker, unlike the plain dots of the cases under it: a ring in the rule's colour (dark and thicker for
 * county-level warnings) around a dot.
 */
export function warningLayers(): LayerSpecification[] {
  return [
    {
      id: WARN.halo,
      type: 'circle',
      source: WARN.source,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 10, 13, 16],
        'circle-color': '#ffffff',
        'circle-opacity': ['*', 0.55, warningOpacity()],
        'circle-stroke-color': ['match', ['get', 'level'], 'county', '#111827', warningColor()],
        'circle-stroke-width': ['match', ['get', 'level'], 'county', 3.5, 3],
        'circle-stroke-opacity': warningOpacity(),
      },
    },
    {
      id: WARN.dot,
      type: 'circle',
      source: WARN.source,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 5, 13, 8],
        'circle-color': warningColor(),
        'circle-opacity': warningOpacity(),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
  ];
}
