/** Layer specs of the hot spot view, built by pure functions (validated in tests/unit/web-hotspots-layers.test.ts). */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { AGE_COLORS, CHOROPLETH_RAMP, EMERGING_COLORS, GI_BIN_COLORS, GI_BINS, RISK_RADIUS } from '../lib/hotspots';

export const HOT = {
  source: 'hot-data',
  fill: 'hot-fill',
  line: 'hot-line',
  heat: 'hot-heat',
  points: 'hot-points',
} as const;

export function giBinColor(): ExpressionSpecification {
  const pairs = GI_BINS.flatMap((b) => [b, GI_BIN_COLORS[String(b)] as string]);
  return ['match', ['get', 'bin'], ...pairs, GI_BIN_COLORS['0'] as string] as unknown as ExpressionSpecification;
}

export function hotspotLayers(): LayerSpecification[] {
  return [
    {
      id: HOT.fill,
      type: 'fill',
      source: HOT.source,
      paint: {
        'fill-color': giBinColor(),
        'fill-opacity': ['case', ['==', ['get', 'bin'], 0], 0.45, 0.78],
      },
    },
    {
      id: HOT.line,
      type: 'line',
      source: HOT.source,
      paint: { 'line-color': '#ffffff', 'line-width': 0.6, 'line-opacity': 0.8 },
    },
  ];
}

export function emergingLayers(): LayerSpecification[] {
  return [
    {
      id: HOT.fill,
      type: 'fill',
      source: HOT.source,
      paint: {
        'fill-color': [
          'match',
          ['get', 'pattern'],
          'new',
          EMERGING_COLORS.new,
          'intensifying',
          EMERGING_COLORS.intensifying,
          'persistent',
          EMERGING_COLORS.persistent,
          'diminishing',
          EMERGING_COLORS.diminishing,
          '#cccccc',
        ],
        'fill-opacity': 0.8,
      },
    },
    {
      id: HOT.line,
      type: 'line',
      source: HOT.source,
      paint: { 'line-color': '#ffffff', 'line-width': 0.6 },
    },
  ];
}

/** Kernel density drawn by MapLibre from the server's per-cell weights. */
export function heatLayers(): LayerSpecification[] {
  return [
    {
      id: HOT.heat,
      type: 'heatmap',
      source: HOT.source,
      paint: {
        // Square root: the county seat's cells hold ten times the counts of rural ones; the root keeps the
        // rural concentrations visible next to it.
        'heatmap-weight': ['sqrt', ['get', 'weight']],
        'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 8, 1.4, 13, 3],
        'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 8, 12, 11, 26, 14, 50],
        'heatmap-opacity': 0.85,
        'heatmap-color': [
          'interpolate',
          ['linear'],
          ['heatmap-density'],
          0,
          'rgba(255,255,204,0)',
          0.15,
          '#ffeda0',
          0.35,
          '#feb24c',
          0.6,
          '#fc4e2a',
          0.85,
          '#bd0026',
          1,
          '#800026',
        ],
      },
    },
  ];
}

export function unresolvedLayers(): LayerSpecification[] {
  return [
    {
      id: HOT.points,
      type: 'circle',
      source: HOT.source,
      layout: { 'circle-sort-key': ['get', 'ageDays'] },
      paint: {
        'circle-color': [
          'case',
          ['get', 'overdue'],
          AGE_COLORS.overdue,
          ['>', ['get', 'ageDays'], ['/', ['get', 'limitDays'], 2]],
          AGE_COLORS.aging,
          AGE_COLORS.recent,
        ],
        'circle-radius': [
          'match',
          ['get', 'riskLevel'],
          'red',
          RISK_RADIUS.red,
          'orange',
          RISK_RADIUS.orange,
          'yellow',
          RISK_RADIUS.yellow,
          RISK_RADIUS.blue,
        ],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.2,
        'circle-opacity': 0.92,
      },
    },
  ];
}

/** Choropleth of a KPI on towns or villages: `value` classed by `breaks` (strictly increasing); no data grey. */
export function choroplethLayers(breaks: readonly number[]): LayerSpecification[] {
  const color: ExpressionSpecification =
    breaks.length === 0
      ? (CHOROPLETH_RAMP[0] as unknown as ExpressionSpecification)
      : ([
          'step',
          ['get', 'value'],
          CHOROPLETH_RAMP[0],
          ...breaks.flatMap((b, i) => [b, CHOROPLETH_RAMP[i + 1] as string]),
        ] as unknown as ExpressionSpecification);
  return [
    {
      id: HOT.fill,
      type: 'fill',
      source: HOT.source,
      paint: {
        'fill-color': ['case', ['==', ['typeof', ['get', 'value']], 'number'], color, '#d6d3d1'],
        'fill-opacity': 0.82,
      },
    },
    {
      id: HOT.line,
      type: 'line',
      source: HOT.source,
      paint: { 'line-color': '#ffffff', 'line-width': 0.8 },
    },
  ];
}
