/**
 * The one owner of the MapLibre map. React never touches the Map object: it pushes state in through these
 * methods, and each method skips the work when nothing changed (same data object, same selection).
 *
 * Readiness for tests and screenshots: the container carries `data-map-idle="true"` once the map has gone
 * idle with every data source filled and loaded, and "false" again as soon as anything is pushed or moves.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import type { GeoJSON } from 'geojson';
import {
  AttributionControl,
  type GeoJSONSource,
  type LayerSpecification,
  type LngLatBoundsLike,
  type MapGeoJSONFeature,
  Map as MapLibreMap,
  type MapMouseEvent,
  NavigationControl,
  Popup,
  ScaleControl,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Bbox } from '../lib/geo';
import {
  buildStyle,
  DATA_SOURCES,
  type DataSourceId,
  disputeOpacity,
  LAYER,
  LOCAL_IDEOGRAPH_FONT_FAMILY,
  POPUP_LAYERS,
  type StyleOptions,
  townFillColor,
  townSelectedFilter,
} from './layers';

// Without this Vite serves no worker, the sources never load and the map never goes idle.
setWorkerUrl(workerUrl);

export interface DashboardMapHandlers {
  /** A town polygon was clicked (and no case or station under the pointer). */
  onTownClick: (code: string) => void;
  /** Content of the popup for a clicked case or station, in the current language; null for none. */
  renderPopup: (feature: MapGeoJSONFeature) => HTMLElement | null;
}

/**
 * A feature's own layers on top of the base map (hotspots, coverage, screening rounds…), declared as data: the
 * map owner adds, updates and removes them, setting only what changed. Source and layer ids must start with
 * the overlay id. Layers are inserted below `beforeId` (default: the case circles, so cases stay on top).
 */
export interface OverlaySpec {
  sources: Record<string, GeoJSON>;
  layers: LayerSpecification[];
  beforeId?: string;
  /** Layers whose features open a popup (rendered by `popup`). */
  popup?: { layers: string[]; render: (feature: MapGeoJSONFeature) => HTMLElement | null };
  /** Base layers (ids from LAYER) hidden while the overlay is shown, e.g. the case circles under a heat map. */
  hideBaseLayers?: string[];
}

export interface DashboardMapOptions {
  container: HTMLElement;
  style: StyleOptions;
  handlers: DashboardMapHandlers;
  /** Labels of MapLibre's own controls (zoom buttons…) in the current language. */
  locale?: Record<string, string>;
}

type PaintKey = Parameters<MapLibreMap['setPaintProperty']>[1];
type LayoutKey = Parameters<MapLibreMap['setLayoutProperty']>[1];
type PaintValue = Parameters<MapLibreMap['setPaintProperty']>[2];
type LayoutValue = Parameters<MapLibreMap['setLayoutProperty']>[2];

const FIT_PADDING = { top: 28, bottom: 28, left: 28, right: 28 };

export class DashboardMap {
  readonly map: MapLibreMap;
  private readonly container: HTMLElement;
  private handlers: DashboardMapHandlers;
  private readonly pushed = new Map<DataSourceId, GeoJSON>();
  private readonly applied = new Set<DataSourceId>();
  private selectedTown: string | null = null;
  private popup: Popup | null = null;
  private destroyed = false;
  // `isStyleLoaded()` also waits for every source, so it turns false again after each setData: track the
  // style's own load instead, and queue what arrives before it.
  private styleReady = false;
  private readonly pending: (() => void)[] = [];
  private readonly overlays = new Map<string, OverlaySpec>();

  constructor(options: DashboardMapOptions) {
    this.container = options.container;
    this.handlers = options.handlers;
    this.setIdle(false);
    this.map = new MapLibreMap({
      container: options.container,
      style: buildStyle(options.style),
      center: [111.65, 29.7],
      zoom: 9.3,
      minZoom: 7,
      maxZoom: 16,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      ...(options.locale ? { locale: options.locale } : {}),
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.map.addControl(new AttributionControl({ compact: true }), 'bottom-right');

    this.map.once('style.load', () => {
      this.styleReady = true;
      for (const apply of this.pending.splice(0)) apply();
    });
    this.map.on('idle', this.onIdle);
    this.map.on('dataloading', this.onBusy);
    this.map.on('movestart', this.onBusy);
    this.map.on('click', this.onClick);
    this.map.on('mousemove', this.onMouseMove);
  }

  /** Replaces the handlers (they close over React state such as the language). */
  setHandlers(handlers: DashboardMapHandlers): void {
    this.handlers = handlers;
  }

  /** Pushes data into one GeoJSON source; skipped when it is the same object as last time. */
  setData(id: DataSourceId, data: GeoJSON): void {
    if (this.pushed.get(id) === data) return;
    this.pushed.set(id, data);
    this.setIdle(false);
    this.whenStyleReady(() => {
      const source = this.map.getSource<GeoJSONSource>(id);
      if (!source) return;
      source.setData(data);
      this.applied.add(id);
    });
  }

  /** Highlights one town (or none) and restyles what depends on it. */
  setSelectedTown(code: string | null): void {
    if (code === this.selectedTown) return;
    this.selectedTown = code;
    this.setIdle(false);
    this.whenStyleReady(() => {
      this.map.setPaintProperty(LAYER.townFill, 'fill-color', townFillColor(code));
      this.map.setFilter(LAYER.townSelectedLine, townSelectedFilter(code));
      this.map.setPaintProperty(LAYER.disputes, 'circle-opacity', disputeOpacity(code));
      this.map.setPaintProperty(LAYER.disputes, 'circle-stroke-opacity', disputeOpacity(code));
    });
  }

  /** Shows, updates or (with null) removes an overlay; unchanged sources and layer properties are left alone. */
  setOverlay(id: string, spec: OverlaySpec | null): void {
    const previous = this.overlays.get(id) ?? null;
    if (previous === spec) return;
    if (spec) this.overlays.set(id, spec);
    else this.overlays.delete(id);
    this.setIdle(false);
    this.whenStyleReady(() => this.applyOverlay(id, previous, spec));
  }

  private applyOverlay(id: string, previous: OverlaySpec | null, next: OverlaySpec | null): void {
    const nextLayers = new Map((next?.layers ?? []).map((l) => [l.id, l]));
    for (const layer of previous?.layers ?? []) {
      if (!nextLayers.has(layer.id) && this.map.getLayer(layer.id)) this.map.removeLayer(layer.id);
    }
    for (const [sourceId, data] of Object.entries(next?.sources ?? {})) {
      if (!sourceId.startsWith(id)) throw new Error(`overlay ${id}: source ${sourceId} must start with ${id}`);
      const source = this.map.getSource<GeoJSONSource>(sourceId);
      if (!source) this.map.addSource(sourceId, { type: 'geojson', data });
      else if (previous?.sources[sourceId] !== data) source.setData(data);
    }
    const before = next?.beforeId ?? LAYER.disputes;
    for (const layer of next?.layers ?? []) {
      if (!layer.id.startsWith(id)) throw new Error(`overlay ${id}: layer ${layer.id} must start with ${id}`);
      const old = previous?.layers.find((l) => l.id === layer.id);
      if (!this.map.getLayer(layer.id)) {
        this.map.addLayer(layer, this.map.getLayer(before) ? before : undefined);
        continue;
      }
      if (old === layer) continue;
      const o = old as { paint?: Record<string, unknown>; layout?: Record<string, unknown>; filter?: unknown };
      const n = layer as { paint?: Record<string, unknown>; layout?: Record<string, unknown>; filter?: unknown };
      for (const [key, value] of Object.entries(n.paint ?? {})) {
        if (JSON.stringify(o?.paint?.[key]) !== JSON.stringify(value))
          this.map.setPaintProperty(layer.id, key as PaintKey, value as PaintValue);
      }
      for (const [key, value] of Object.entries(n.layout ?? {})) {
        if (JSON.stringify(o?.layout?.[key]) !== JSON.stringify(value))
          this.map.setLayoutProperty(layer.id, key as LayoutKey, value as LayoutValue);
      }
      if (JSON.stringify(o?.filter) !== JSON.stringify(n.filter)) {
        this.map.setFilter(layer.id, (n.filter ?? null) as Parameters<MapLibreMap['setFilter']>[1]);
      }
    }
    for (const sourceId of Object.keys(previous?.sources ?? {})) {
      if (!(next && sourceId in next.sources) && this.map.getSource(sourceId)) this.map.removeSource(sourceId);
    }
    this.applyBaseLayerVisibility();
    // The flag went to "false" when the overlay was pushed; an update that changes nothing visible would
    // otherwise never be followed by another `idle` event, leaving the flag false for good.
    this.map.triggerRepaint();
  }

  /** A base layer is visible unless some shown overlay hides it. */
  private applyBaseLayerVisibility(): void {
    const hidden = new Set([...this.overlays.values()].flatMap((o) => o.hideBaseLayers ?? []));
    for (const layerId of Object.values(LAYER)) {
      if (!this.map.getLayer(layerId)) continue;
      const visibility = hidden.has(layerId) ? 'none' : 'visible';
      if (this.map.getLayoutProperty(layerId, 'visibility') !== visibility) {
        this.map.setLayoutProperty(layerId, 'visibility', visibility);
      }
    }
  }

  /** Frames a bounding box; `animate: false` for the first view so it never starts off-target. */
  fitTo(bbox: Bbox, animate: boolean): void {
    this.setIdle(false);
    const bounds: LngLatBoundsLike = [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ];
    this.map.fitBounds(bounds, { padding: FIT_PADDING, duration: animate ? 700 : 0, maxZoom: 13.5 });
  }

  closePopup(): void {
    this.popup?.remove();
    this.popup = null;
  }

  destroy(): void {
    this.destroyed = true;
    this.closePopup();
    this.map.remove();
    delete this.container.dataset.mapIdle;
  }

  private whenStyleReady(apply: () => void): void {
    if (this.styleReady) apply();
    else this.pending.push(apply);
  }

  private setIdle(idle: boolean): void {
    if (this.destroyed) return;
    this.container.dataset.mapIdle = idle ? 'true' : 'false';
  }

  private readonly onBusy = () => this.setIdle(false);

  private readonly onIdle = () => {
    const overlaySources = [...this.overlays.values()].flatMap((o) => Object.keys(o.sources));
    const allPushed = DATA_SOURCES.every((id) => this.applied.has(id));
    const allLoaded = [...DATA_SOURCES, ...overlaySources].every(
      (id) => this.map.getSource(id) !== undefined && this.map.isSourceLoaded(id),
    );
    this.setIdle(allPushed && allLoaded && this.map.loaded() && this.map.areTilesLoaded());
  };

  private readonly onClick = (event: MapMouseEvent) => {
    for (const overlay of this.overlays.values()) {
      if (!overlay.popup) continue;
      const layers = overlay.popup.layers.filter((l) => this.map.getLayer(l));
      const hit = layers.length ? this.map.queryRenderedFeatures(event.point, { layers })[0] : undefined;
      const content = hit ? overlay.popup.render(hit) : null;
      if (content) {
        this.closePopup();
        this.popup = new Popup({ closeButton: true, maxWidth: '320px', offset: 10, className: 'map-popup' })
          .setLngLat(event.lngLat)
          .setDOMContent(content)
          .addTo(this.map);
        return;
      }
    }
    const hits = this.map.queryRenderedFeatures(event.point, { layers: [...POPUP_LAYERS] });
    const hit = hits[0];
    if (hit) {
      const content = this.handlers.renderPopup(hit);
      if (!content) return;
      this.closePopup();
      const coordinates = hit.geometry.type === 'Point' ? hit.geometry.coordinates : null;
      this.popup = new Popup({ closeButton: true, maxWidth: '300px', offset: 10, className: 'map-popup' })
        .setLngLat(
          coordinates ? [coordinates[0] ?? event.lngLat.lng, coordinates[1] ?? event.lngLat.lat] : event.lngLat,
        )
        .setDOMContent(content)
        .addTo(this.map);
      return;
    }
    const town = this.map.queryRenderedFeatures(event.point, { layers: [LAYER.townFill] })[0];
    const code = town?.properties.code;
    if (typeof code === 'string') {
      this.closePopup();
      this.handlers.onTownClick(code);
    }
  };

  private readonly onMouseMove = (event: MapMouseEvent) => {
    const clickable = this.map.queryRenderedFeatures(event.point, {
      layers: [...POPUP_LAYERS, LAYER.townFill],
    });
    this.map.getCanvas().style.cursor = clickable.length > 0 ? 'pointer' : '';
  };
}
