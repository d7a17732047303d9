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

export interface DashboardMapOptions {
  container: HTMLElement;
  style: StyleOptions;
  handlers: DashboardMapHandlers;
  /** Labels of MapLibre's own controls (zoom buttons…) in the current language. */
  locale?: Record<string, string>;
}

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
    const allPushed = DATA_SOURCES.every((id) => this.applied.has(id));
    const allLoaded = DATA_SOURCES.every((id) => this.map.isSourceLoaded(id));
    this.setIdle(allPushed && allLoaded && this.map.loaded() && this.map.areTilesLoaded());
  };

  private readonly onClick = (event: MapMouseEvent) => {
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
