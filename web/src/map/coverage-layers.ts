/** Layer specs of the coverage view (service areas, uncovered villages, suggested sites), pure and tested. */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';

/** The base map's label font (rendered from local fonts, no glyphs URL). */
const FONT_BOLD = ['Noto Sans CJK SC Bold'];

export const COV = {
  areas: 'cov-areas',
  unionFill: 'cov-union-fill',
  ringLine: 'cov-ring-line',
  villages: 'cov-villages',
  uncoveredFill: 'cov-uncovered-fill',
  uncoveredLine: 'cov-uncovered-line',
  sites: 'cov-sites',
  siteHalo: 'cov-site-halo',
  siteCircles: 'cov-site-circles',
  siteLabels: 'cov-site-labels',
  selected: 'cov-selected',
  selectedRing: 'cov-selected-ring',
} as const;

export const COVERAGE_COLORS = {
  area: '#0f766e',
  ring: '#0d9488',
  uncovered: '#dc2626',
  site: '#7c3aed',
  selected: '#f59e0b',
} as const;

/** Uncovered villages get redder with more disputes per km² (the gap finder's ranking measure). */
export function uncoveredFillColor(): ExpressionSpecification {
  return [
    'interpolate',
    ['linear'],
    ['coalesce', ['get', 'perKm2'], 0],
    0,
    '#fecaca',
    10,
    '#f87171',
    40,
    COVERAGE_COLORS.uncovered,
  ];
}

/** "+123": how many uncovered disputes the suggested site would newly cover. */
export function siteLabel(): ExpressionSpecification {
  return ['concat', '#', ['to-string', ['get', 'rank']], '  +', ['to-string', ['get', 'newlyCovered']]];
}

export function coverageLayers(): LayerSpecification[] {
  return [
    {
      id: COV.unionFill,
      type: 'fill',
      source: COV.areas,
      filter: ['==', ['get', 'part'], 'union'],
      paint: { 'fill-color': COVERAGE_COLORS.area, 'fill-opacity': 0.14 },
    },
    {
      id: COV.uncoveredFill,
      type: 'fill',
      source: COV.villages,
      filter: ['!', ['get', 'covered']],
      paint: { 'fill-color': uncoveredFillColor(), 'fill-opacity': 0.55 },
    },
    {
      id: COV.uncoveredLine,
      type: 'line',
      source: COV.villages,
      filter: ['!', ['get', 'covered']],
      paint: { 'line-color': '#991b1b', 'line-width': 0.8, 'line-opacity': 0.7 },
    },
    {
      id: COV.ringLine,
      type: 'line',
      source: COV.areas,
      filter: ['==', ['get', 'part'], 'ring'],
      paint: { 'line-color': COVERAGE_COLORS.ring, 'line-width': 1.4, 'line-dasharray': [3, 2], 'line-opacity': 0.9 },
    },
    {
      id: COV.selectedRing,
      type: 'circle',
      source: COV.selected,
      paint: {
        'circle-radius': 16,
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': COVERAGE_COLORS.selected,
        'circle-stroke-width': 3,
      },
    },
  ];
}

/** Suggested sites, drawn above the station markers (a site is often a town seat next to its police station). */
export function siteLayers(): LayerSpecification[] {
  return [
    {
      id: COV.siteHalo,
      type: 'circle',
      source: COV.sites,
      paint: { 'circle-radius': 15, 'circle-color': COVERAGE_COLORS.site, 'circle-opacity': 0.2 },
    },
    {
      id: COV.siteCircles,
      type: 'circle',
      source: COV.sites,
      paint: {
        'circle-radius': 8,
        'circle-color': COVERAGE_COLORS.site,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: COV.siteLabels,
      type: 'symbol',
      source: COV.sites,
      layout: {
        'text-field': siteLabel(),
        'text-font': FONT_BOLD,
        'text-size': 13,
        // Beside the marker but clear of the station markers and town name usually drawn at the same seat.
        'text-variable-anchor': ['bottom-left', 'top-left', 'bottom-right', 'top-right'],
        'text-radial-offset': 1.1,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#4c1d95', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
  ];
}
