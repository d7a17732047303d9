/**
 * The map style, built by pure functions so that unit tests can validate it against the MapLibre style spec.
 *
 * The colours are part of the contract with the e2e test, which finds boundaries and cases on the map by
 * counting screenshot pixels close to them: change a colour here and the test follows, but keep each one
 * far from the others (the test measures plain RGB distance).
 */

import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { RiskLevel, StationKind } from '../api/vocabulary';

export const COLORS = {
  /** Outside the county: a cool grey so the county reads as the subject. */
  background: '#dfe5ec',
  countyFill: '#fbf9f4',
  countyLine: '#1e293b',
  countyHalo: '#475569',
  /** Violet: far from every point colour (risk levels, station kinds) and from the fills. */
  townLine: '#7c3aed',
  townLineSelected: '#5b21b6',
  townFillSelected: '#fff4d6',
  townFillDimmed: '#e7e5df',
  villageLine: '#a8a29e',
  labelText: '#1f2937',
  villageLabelText: '#57534e',
  labelHalo: '#ffffff',
  pointStroke: '#ffffff',
} as const;

/** Pastel fills cycled by town code so neighbouring towns tell apart without a basemap. */
export const TOWN_FILL_PALETTE = ['#f5efe1', '#eaf3e6', '#f1ebf6', '#e6f0f4', '#f7e9e3', '#eef1e2'] as const;

/** Open cases by risk level: the familiar red/orange/yellow/blue warning scale. */
export const RISK_COLORS: Record<RiskLevel, string> = {
  red: '#dc2626',
  orange: '#f97316',
  yellow: '#eab308',
  blue: '#2563eb',
};

export const STATION_COLORS: Record<StationKind, string> = {
  police_station: '#1e3a8a',
  judicial_office: '#15803d',
  joint_mediation_room: '#0d9488',
  court_tribunal: '#92400e',
  village_mediation_committee: '#64748b',
};

/**
 * Circle radius per kind at county zoom. A joint mediation room sits inside its police station (the article's
 * model), so the two share a spot: the station is the wider disc and the room is drawn on top of it, smaller,
 * which reads as a navy ring with a teal centre; a police station without a room stays a plain navy disc.
 */
export const STATION_RADIUS: Record<StationKind, number> = {
  police_station: 8,
  joint_mediation_room: 4.5,
  judicial_office: 5,
  court_tribunal: 5,
  village_mediation_committee: 3,
};

/** Drawing order among stations (higher on top): the room must never hide under its station. */
export const STATION_SORT_KEY: Record<StationKind, number> = {
  village_mediation_committee: 0,
  police_station: 1,
  court_tribunal: 2,
  judicial_office: 3,
  joint_mediation_room: 4,
};

export const SOURCE = {
  basemap: 'basemap',
  county: 'county',
  towns: 'towns',
  villages: 'villages',
  townLabels: 'town-labels',
  villageLabels: 'village-labels',
  stations: 'stations',
  disputes: 'disputes',
} as const;
export type DataSourceId = Exclude<(typeof SOURCE)[keyof typeof SOURCE], 'basemap'>;
/** The GeoJSON sources the app fills; the map is "ready" once each has received its data. */
export const DATA_SOURCES: readonly DataSourceId[] = [
  SOURCE.county,
  SOURCE.towns,
  SOURCE.villages,
  SOURCE.townLabels,
  SOURCE.villageLabels,
  SOURCE.stations,
  SOURCE.disputes,
];

export const LAYER = {
  background: 'background',
  basemap: 'basemap',
  countyFill: 'county-fill',
  townFill: 'town-fill',
  villageLine: 'village-line',
  townLine: 'town-line',
  countyHalo: 'county-halo',
  countyLine: 'county-line',
  townSelectedLine: 'town-selected-line',
  stations: 'stations',
  disputes: 'disputes',
  villageLabels: 'village-labels',
  townLabels: 'town-labels',
} as const;

/** Layers whose features answer a click with a popup, topmost first. */
export const POPUP_LAYERS = [LAYER.disputes, LAYER.stations] as const;

/** Village boundaries appear from this zoom (the county fills a laptop screen at about 9.8). */
export const VILLAGE_LINE_MIN_ZOOM = 10;
export const VILLAGE_LABEL_MIN_ZOOM = 10.8;

/**
 * Labels are drawn from local fonts: without a `glyphs` URL MapLibre 6 rasterises every label with the
 * browser's fonts (TinySDF), so no font server, and no internet, is needed. CJK characters use the map's
 * `localIdeographFontFamily`; only the weight keyword of these stacks matters for them.
 */
export const LOCAL_IDEOGRAPH_FONT_FAMILY =
  '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
const FONT_BOLD = ['Noto Sans CJK SC Bold'];
const FONT_REGULAR = ['Noto Sans CJK SC Regular'];

export interface StyleOptions {
  /** XYZ raster template from /api/config, or null: the offline basemap is our own boundaries. */
  basemapUrl: string | null;
  basemapAttribution: string | null;
}

function matchExpression<K extends string>(
  property: string,
  values: Record<K, string | number>,
  fallback: string | number,
): ExpressionSpecification {
  const pairs = Object.entries(values).flat();
  // A match needs at least one label/output pair, which the Record types guarantee but TS cannot see.
  return ['match', ['get', property], ...pairs, fallback] as unknown as ExpressionSpecification;
}

/** Fill colour of the town polygons: pastel by code, or with a town selected, that town warm and the rest grey. */
export function townFillColor(selectedTown: string | null): ExpressionSpecification {
  if (selectedTown) {
    return ['case', ['==', ['get', 'code'], selectedTown], COLORS.townFillSelected, COLORS.townFillDimmed];
  }
  const index: ExpressionSpecification = ['%', ['to-number', ['get', 'code'], 0], TOWN_FILL_PALETTE.length];
  const pairs = TOWN_FILL_PALETTE.slice(1).flatMap((color, i) => [i + 1, color]);
  return ['match', index, 0, TOWN_FILL_PALETTE[0], ...pairs, TOWN_FILL_PALETTE[0]] as ExpressionSpecification;
}

/** Filter of the selected-town outline; matches nothing when no town is selected. */
export function townSelectedFilter(selectedTown: string | null): FilterSpecification {
  return ['==', ['get', 'code'], selectedTown ?? ''];
}

/** Open cases outside the selected town fade so the town's own cases stand out. */
export function disputeOpacity(selectedTown: string | null): ExpressionSpecification | number {
  if (!selectedTown) return 0.92;
  return ['case', ['==', ['get', 'townCode'], selectedTown], 0.95, 0.25];
}

export function disputeColor(): ExpressionSpecification {
  return matchExpression('riskLevel', RISK_COLORS, '#9ca3af');
}

export function stationColor(): ExpressionSpecification {
  return matchExpression('kind', STATION_COLORS, '#6b7280');
}

export function basemapSource(options: StyleOptions): SourceSpecification | null {
  if (!options.basemapUrl) return null;
  return {
    type: 'raster',
    tiles: [options.basemapUrl],
    tileSize: 256,
    ...(options.basemapAttribution ? { attribution: options.basemapAttribution } : {}),
  };
}

/**
 * All layers, bottom to top. Pure: the same options give the same layers. Open cases are drawn above every
 * boundary and station; only the name labels (haloed, and collision-thinned) sit above them.
 */
export function buildLayers(options: StyleOptions, selectedTown: string | null = null): LayerSpecification[] {
  const hasBasemap = Boolean(options.basemapUrl);
  // Over a raster basemap the fills turn translucent so roads and rivers show through.
  const fillOpacity = hasBasemap ? 0.45 : 1;
  const layers: LayerSpecification[] = [
    { id: LAYER.background, type: 'background', paint: { 'background-color': COLORS.background } },
  ];
  if (hasBasemap) {
    layers.push({ id: LAYER.basemap, type: 'raster', source: SOURCE.basemap, paint: { 'raster-opacity': 0.9 } });
  }
  layers.push(
    {
      id: LAYER.countyFill,
      type: 'fill',
      source: SOURCE.county,
      paint: { 'fill-color': COLORS.countyFill, 'fill-opacity': fillOpacity },
    },
    {
      id: LAYER.townFill,
      type: 'fill',
      source: SOURCE.towns,
      paint: { 'fill-color': townFillColor(selectedTown), 'fill-opacity': fillOpacity, 'fill-antialias': false },
    },
    {
      id: LAYER.villageLine,
      type: 'line',
      source: SOURCE.villages,
      minzoom: VILLAGE_LINE_MIN_ZOOM,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': COLORS.villageLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], VILLAGE_LINE_MIN_ZOOM, 0.5, 14, 1.2],
        'line-opacity': ['interpolate', ['linear'], ['zoom'], VILLAGE_LINE_MIN_ZOOM, 0.55, 12, 0.9],
        'line-dasharray': [3, 2],
      },
    },
    {
      id: LAYER.townLine,
      type: 'line',
      source: SOURCE.towns,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': COLORS.townLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.2, 12, 2.4],
        'line-opacity': 0.85,
      },
    },
    {
      id: LAYER.countyHalo,
      type: 'line',
      source: SOURCE.county,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.countyHalo, 'line-width': 9, 'line-opacity': 0.12, 'line-blur': 4 },
    },
    {
      id: LAYER.countyLine,
      type: 'line',
      source: SOURCE.county,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.countyLine, 'line-width': 2.4 },
    },
    {
      id: LAYER.townSelectedLine,
      type: 'line',
      source: SOURCE.towns,
      filter: townSelectedFilter(selectedTown),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.townLineSelected, 'line-width': 4 },
    },
    {
      id: LAYER.stations,
      type: 'circle',
      source: SOURCE.stations,
      layout: { 'circle-sort-key': matchExpression('kind', STATION_SORT_KEY, 0) },
      paint: {
        'circle-color': stationColor(),
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          9,
          ['*', 0.8, matchExpression('kind', STATION_RADIUS, 4)],
          14,
          ['*', 1.8, matchExpression('kind', STATION_RADIUS, 4)],
        ],
        'circle-stroke-color': COLORS.pointStroke,
        'circle-stroke-width': 1.5,
        // Village committees are many and small: they appear once villages do.
        'circle-opacity': [
          'interpolate',
          ['linear'],
          ['zoom'],
          VILLAGE_LINE_MIN_ZOOM + 0.5,
          ['case', ['==', ['get', 'kind'], 'village_mediation_committee'], 0, 1],
          VILLAGE_LINE_MIN_ZOOM + 1.5,
          1,
        ],
        'circle-stroke-opacity': [
          'interpolate',
          ['linear'],
          ['zoom'],
          VILLAGE_LINE_MIN_ZOOM + 0.5,
          ['case', ['==', ['get', 'kind'], 'village_mediation_committee'], 0, 1],
          VILLAGE_LINE_MIN_ZOOM + 1.5,
          1,
        ],
      },
    },
    {
      id: LAYER.disputes,
      type: 'circle',
      source: SOURCE.disputes,
      // Highest risk drawn last, so a red case is never hidden under a blue one.
      layout: { 'circle-sort-key': matchExpression('riskLevel', { red: 4, orange: 3, yellow: 2, blue: 1 }, 0) },
      paint: {
        'circle-color': disputeColor(),
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          9,
          ['match', ['get', 'riskLevel'], 'red', 4, 3.2],
          14,
          ['match', ['get', 'riskLevel'], 'red', 9, 7.5],
        ],
        'circle-opacity': disputeOpacity(selectedTown),
        'circle-stroke-color': COLORS.pointStroke,
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 14, 1.2],
        'circle-stroke-opacity': disputeOpacity(selectedTown),
      },
    },
    {
      id: LAYER.villageLabels,
      type: 'symbol',
      source: SOURCE.villageLabels,
      minzoom: VILLAGE_LABEL_MIN_ZOOM,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], VILLAGE_LABEL_MIN_ZOOM, 11, 15, 13],
        'text-padding': 4,
      },
      paint: { 'text-color': COLORS.villageLabelText, 'text-halo-color': COLORS.labelHalo, 'text-halo-width': 1.4 },
    },
    {
      id: LAYER.townLabels,
      type: 'symbol',
      source: SOURCE.townLabels,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11, 10, 14, 13, 18],
        'text-letter-spacing': 0.05,
        'text-padding': 2,
        // The label anchor is usually the town seat, where the police station and its joint mediation room
        // are drawn: put the name beside the point rather than over the markers.
        'text-variable-anchor': ['bottom', 'top', 'left', 'right'],
        'text-radial-offset': 0.85,
      },
      paint: { 'text-color': COLORS.labelText, 'text-halo-color': COLORS.labelHalo, 'text-halo-width': 1.8 },
    },
  );
  return layers;
}

/**
 * The base map as one whole style, as the map owner ends up drawing it (it declares the same sources and layers
 * one by one): what the unit tests validate against the style spec. No `glyphs` and no `sprite`: nothing is
 * fetched from outside the app.
 */
export function buildStyle(options: StyleOptions, selectedTown: string | null = null): StyleSpecification {
  const sources: StyleSpecification['sources'] = {};
  const basemap = basemapSource(options);
  if (basemap) sources[SOURCE.basemap] = basemap;
  for (const id of DATA_SOURCES) sources[id] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  return { version: 8, name: 'lixian-joint-mediation', sources, layers: buildLayers(options, selectedTown) };
}
