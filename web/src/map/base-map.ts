/** The dashboard's base map (boundaries, labels, stations, open cases) declared as one layer group. */
import type { GeoJSON } from 'geojson';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import type { OverlaySpec } from './dashboard-map';
import {
  basemapSource,
  buildLayers,
  DATA_SOURCES,
  type DataSourceId,
  LAYER,
  POPUP_LAYERS,
  SOURCE,
  type StyleOptions,
} from './layers';

/** What fills each data source so far; a source without data is drawn empty and keeps the map "not idle". */
export type BaseData = Partial<Record<DataSourceId, GeoJSON>>;

export interface BasePointer {
  /** Content of the popup for a clicked case or station, in the current language; null for none. */
  renderPopup: (feature: MapGeoJSONFeature) => HTMLElement | null;
  /** A town polygon was clicked (and no case or station under the pointer). */
  onTownClick: (code: string) => void;
}

// One object for every empty source, so that an unchanged empty source is never pushed again.
const EMPTY: GeoJSON = { type: 'FeatureCollection', features: [] };

export function baseSpec(
  style: StyleOptions,
  selectedTown: string | null,
  data: BaseData,
  pointer: BasePointer,
): OverlaySpec {
  const sources: OverlaySpec['sources'] = {};
  const basemap = basemapSource(style);
  if (basemap) sources[SOURCE.basemap] = basemap;
  for (const id of DATA_SOURCES) sources[id] = data[id] ?? EMPTY;
  return {
    sources,
    layers: buildLayers(style, selectedTown),
    popup: { layers: [...POPUP_LAYERS], render: pointer.renderPopup },
    click: {
      layers: [LAYER.townFill],
      onClick: (feature) => {
        const code = feature.properties.code;
        if (typeof code === 'string') pointer.onTownClick(code);
      },
    },
    loading: DATA_SOURCES.some((id) => data[id] === undefined),
  };
}
