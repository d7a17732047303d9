/**
 * The one owner of a MapLibre map: the dashboard's and the phone form's picker. React never touches the Map
 * object: it declares layer groups (the base map and each feature's overlay) as data, and the owner adds,
 * updates and removes sources and layers through one diff (layer-diff.ts), setting only what changed. It also
 * owns the pointer: popups, clicks on features, the cursor, and the "pick a location" mode.
 *
 * Readiness for tests and screenshots: the container carries `data-map-idle="true"` once the map has gone
 * idle with every declared source filled and loaded, and "false" again as soon as anything is pushed or moves.
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
  type SourceSpecification,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Bbox } from '../lib/geo';
import { diffLayers, type LayerOp } from './layer-diff';
import { LAYER, LOCAL_IDEOGRAPH_FONT_FAMILY } from './layers';

// Without this Vite serves no worker, the sources never load and the map never goes idle.
setWorkerUrl(workerUrl);

/**
 * A group of sources and layers declared as data: the base map (`setBase`) or a feature's overlay (hotspots,
 * coverage, screening rounds…, `setOverlay`). An overlay's source and layer ids must start with its id; its
 * layers go below `beforeId` (default: the case circles, so cases stay on top; an id naming no layer: on top).
 */
export interface OverlaySpec {
  /** GeoJSON data by source id, or a source specification (a raster basemap). */
  sources: Record<string, GeoJSON | SourceSpecification>;
  layers: LayerSpecification[];
  beforeId?: string;
  /** Layers whose features open a popup (rendered by `render`; null for none), topmost first. */
  popup?: { layers: string[]; render: (feature: MapGeoJSONFeature) => HTMLElement | null };
  /** Layers whose features answer a click (after every popup layer had its chance). */
  click?: { layers: string[]; onClick: (feature: MapGeoJSONFeature) => void };
  /** Base layers (ids from LAYER) hidden while the overlay is shown, e.g. the case circles under a heat map. */
  hideBaseLayers?: string[];
  /** The group still waits for data: the map does not report idle. */
  loading?: boolean;
}

/** What a click on the map does: open popups and follow feature clicks, or pick a location. */
export type PointerMode = { kind: 'browse' } | { kind: 'pick'; onPick: (lonLat: [number, number]) => void };

export interface DashboardMapOptions {
  container: HTMLElement;
  /** The base map, declared like an overlay (its ids need no prefix). */
  base: OverlaySpec;
  center?: [number, number];
  zoom?: number;
  /** Zoom buttons, scale and attribution; the phone form's small picker has none. */
  controls?: boolean;
  /** Labels of MapLibre's own controls (zoom buttons…) in the current language. */
  locale?: Record<string, string>;
}

const BASE = '__base';
const FIT_PADDING = { top: 28, bottom: 28, left: 28, right: 28 };
const EMPTY_STYLE = { version: 8 as const, sources: {}, layers: [] };

type PaintKey = Parameters<MapLibreMap['setPaintProperty']>[1];
type LayoutKey = Parameters<MapLibreMap['setLayoutProperty']>[1];
type PaintValue = Parameters<MapLibreMap['setPaintProperty']>[2];
type LayoutValue = Parameters<MapLibreMap['setLayoutProperty']>[2];

/** A source value is a specification (lower-case `type`: raster, geojson…) or GeoJSON data (FeatureCollection…). */
const isSourceSpec = (value: GeoJSON | SourceSpecification): value is SourceSpecification =>
  value.type === value.type.toLowerCase();

interface Applied {
  spec: OverlaySpec;
  /** The layers as set on the map (with the visibility the other groups ask for). */
  layers: LayerSpecification[];
  beforeId: string | undefined;
}

export class DashboardMap {
  readonly map: MapLibreMap;
  private readonly container: HTMLElement;
  private readonly specs = new Map<string, OverlaySpec>();
  private readonly applied = new Map<string, Applied>();
  private pointer: PointerMode = { kind: 'browse' };
  private popup: Popup | null = null;
  private destroyed = false;
  // `isStyleLoaded()` also waits for every source, so it turns false again after each setData: track the
  // style's own load instead, and apply what is declared before it once it has.
  private styleReady = false;

  constructor(options: DashboardMapOptions) {
    this.container = options.container;
    this.setIdle(false);
    this.specs.set(BASE, options.base);
    this.map = new MapLibreMap({
      container: options.container,
      style: EMPTY_STYLE,
      center: options.center ?? [111.65, 29.7],
      zoom: options.zoom ?? 9.3,
      minZoom: 7,
      maxZoom: 16,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      // Keep the drawn frame: without it a printed page (Ctrl+P, or a PDF printed by a browser) shows the canvas
      // blank, since WebGL clears its buffer once the frame is on screen.
      canvasContextAttributes: { preserveDrawingBuffer: true },
      ...(options.locale ? { locale: options.locale } : {}),
    });
    this.map.touchZoomRotate.disableRotation();
    if (options.controls !== false) {
      this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
      this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
      this.map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
    }
    this.map.once('style.load', () => {
      this.styleReady = true;
      this.sync();
    });
    this.map.on('idle', this.onIdle);
    this.map.on('dataloading', this.onBusy);
    this.map.on('movestart', this.onBusy);
    this.map.on('click', this.onClick);
    this.map.on('mousemove', this.onMouseMove);
  }

  /** Replaces the base map's declaration (new data, the selected town, new popup handlers…). */
  setBase(spec: OverlaySpec): void {
    this.declare(BASE, spec);
  }

  /** Shows, updates or (with null) removes an overlay. */
  setOverlay(id: string, spec: OverlaySpec | null): void {
    if (id === BASE) throw new Error(`overlay id ${id} is reserved`);
    if (spec) {
      for (const sourceId of Object.keys(spec.sources)) {
        if (!sourceId.startsWith(id)) throw new Error(`overlay ${id}: source ${sourceId} must start with ${id}`);
      }
      for (const layer of spec.layers) {
        if (!layer.id.startsWith(id)) throw new Error(`overlay ${id}: layer ${layer.id} must start with ${id}`);
      }
    }
    this.declare(id, spec);
  }

  /** Browse (popups, feature clicks) or pick a location (a crosshair; a click calls `onPick` and nothing else). */
  setPointerMode(mode: PointerMode): void {
    this.pointer = mode;
    if (mode.kind === 'pick') this.closePopup();
    this.map.getCanvas().style.cursor = mode.kind === 'pick' ? 'crosshair' : '';
  }

  /** Frames a bounding box; `animate: false` for the first view so it never starts off-target. */
  fitTo(bbox: Bbox, animate: boolean, padding: number | typeof FIT_PADDING = FIT_PADDING): void {
    this.setIdle(false);
    const bounds: LngLatBoundsLike = [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ];
    this.map.fitBounds(bounds, { padding, duration: animate ? 700 : 0, maxZoom: 13.5 });
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

  private declare(id: string, spec: OverlaySpec | null): void {
    if ((this.specs.get(id) ?? null) === spec) return;
    if (spec) this.specs.set(id, spec);
    else this.specs.delete(id);
    this.setIdle(false);
    this.sync();
  }

  /** Brings the map in line with the declared groups, base first so that overlays find their `beforeId`. */
  private sync(): void {
    if (!this.styleReady || this.destroyed) return;
    const hidden = new Set([...this.specs].flatMap(([id, s]) => (id === BASE ? [] : (s.hideBaseLayers ?? []))));
    for (const [id, applied] of [...this.applied]) {
      if (!this.specs.has(id)) this.applyGroup(id, applied, null, hidden);
    }
    const ids = [BASE, ...[...this.specs.keys()].filter((id) => id !== BASE)];
    for (const id of ids) {
      const spec = this.specs.get(id);
      if (spec) this.applyGroup(id, this.applied.get(id) ?? null, spec, hidden);
    }
    // The flag went to "false" when something was declared; an update that changes nothing visible would
    // otherwise never be followed by another `idle` event, leaving the flag false for good.
    this.map.triggerRepaint();
  }

  private applyGroup(id: string, prev: Applied | null, next: OverlaySpec | null, hidden: Set<string>): void {
    const layers = (next?.layers ?? []).map((layer) => (id === BASE ? withVisibility(layer, hidden) : layer));
    const beforeId =
      id === BASE
        ? undefined
        : this.map.getLayer(next?.beforeId ?? LAYER.disputes)
          ? (next?.beforeId ?? LAYER.disputes)
          : undefined;
    if (prev?.spec === next && prev?.beforeId === beforeId && sameLayers(prev.layers, layers)) return;
    const ops = diffLayers(prev?.layers ?? [], layers, prev?.beforeId, beforeId);
    // Layers go first (a source cannot be removed while a layer uses it), then sources, then the new layers.
    for (const op of ops) if (op.op === 'remove') this.apply(op);
    this.applySources(prev?.spec.sources ?? {}, next?.sources ?? {}, prev?.layers ?? []);
    for (const op of ops) if (op.op !== 'remove') this.apply(op);
    if (next) this.applied.set(id, { spec: next, layers, beforeId });
    else this.applied.delete(id);
  }

  private applySources(
    prev: OverlaySpec['sources'],
    next: OverlaySpec['sources'],
    prevLayers: LayerSpecification[],
  ): void {
    for (const sourceId of Object.keys(prev)) {
      if (!(sourceId in next) && this.map.getSource(sourceId)) this.map.removeSource(sourceId);
    }
    for (const [sourceId, value] of Object.entries(next)) {
      const existing = this.map.getSource(sourceId);
      if (!existing) {
        this.map.addSource(sourceId, isSourceSpec(value) ? value : { type: 'geojson', data: value });
      } else if (prev[sourceId] !== value) {
        if (!isSourceSpec(value)) {
          (existing as GeoJSONSource).setData(value);
        } else if (JSON.stringify(prev[sourceId]) !== JSON.stringify(value)) {
          // A changed source specification (another basemap): its layers come back with the new source.
          for (const layer of prevLayers) {
            if ((layer as { source?: string }).source === sourceId && this.map.getLayer(layer.id)) {
              this.map.removeLayer(layer.id);
            }
          }
          this.map.removeSource(sourceId);
          this.map.addSource(sourceId, value);
        }
      }
    }
  }

  private apply(op: LayerOp): void {
    const m = this.map;
    switch (op.op) {
      case 'add':
        if (m.getLayer(op.layer.id)) m.removeLayer(op.layer.id);
        m.addLayer(op.layer, op.beforeId && m.getLayer(op.beforeId) ? op.beforeId : undefined);
        return;
      case 'remove':
        if (m.getLayer(op.id)) m.removeLayer(op.id);
        return;
      case 'paint':
        m.setPaintProperty(op.id, op.key as PaintKey, op.value as PaintValue);
        return;
      case 'layout':
        m.setLayoutProperty(op.id, op.key as LayoutKey, op.value as LayoutValue);
        return;
      case 'filter':
        m.setFilter(op.id, op.filter);
        return;
      case 'zoom':
        m.setLayerZoomRange(op.id, op.minzoom, op.maxzoom);
        return;
      case 'move':
        m.moveLayer(op.id, op.beforeId && m.getLayer(op.beforeId) ? op.beforeId : undefined);
        return;
    }
  }

  private setIdle(idle: boolean): void {
    if (this.destroyed) return;
    this.container.dataset.mapIdle = idle ? 'true' : 'false';
  }

  private readonly onBusy = () => this.setIdle(false);

  private readonly onIdle = () => {
    const specs = [...this.specs.values()];
    const sources = specs.flatMap((s) => Object.keys(s.sources));
    const settled =
      this.styleReady &&
      specs.every((s) => !s.loading) &&
      [...this.specs.keys()].every((id) => this.applied.get(id)?.spec === this.specs.get(id)) &&
      sources.every((id) => this.map.getSource(id) !== undefined && this.map.isSourceLoaded(id));
    this.setIdle(settled && this.map.loaded() && this.map.areTilesLoaded());
  };

  /** The declared groups for the pointer, overlays before the base map (they are drawn above it). */
  private pointerGroups(): OverlaySpec[] {
    const base = this.specs.get(BASE);
    const overlays = [...this.specs].filter(([id]) => id !== BASE).map(([, s]) => s);
    return base ? [...overlays, base] : overlays;
  }

  private hit(layers: string[], event: MapMouseEvent): MapGeoJSONFeature | undefined {
    const present = layers.filter((l) => this.map.getLayer(l));
    return present.length ? this.map.queryRenderedFeatures(event.point, { layers: present })[0] : undefined;
  }

  private readonly onClick = (event: MapMouseEvent) => {
    if (this.pointer.kind === 'pick') {
      this.pointer.onPick([event.lngLat.lng, event.lngLat.lat]);
      return;
    }
    const groups = this.pointerGroups();
    for (const group of groups) {
      if (!group.popup) continue;
      const feature = this.hit(group.popup.layers, event);
      const content = feature ? group.popup.render(feature) : null;
      if (!feature || !content) continue;
      this.closePopup();
      const point = feature.geometry.type === 'Point' ? feature.geometry.coordinates : null;
      this.popup = new Popup({ closeButton: true, maxWidth: '320px', offset: 10, className: 'map-popup' })
        .setLngLat(point ? [point[0] ?? event.lngLat.lng, point[1] ?? event.lngLat.lat] : event.lngLat)
        .setDOMContent(content)
        .addTo(this.map);
      return;
    }
    for (const group of groups) {
      if (!group.click) continue;
      const feature = this.hit(group.click.layers, event);
      if (!feature) continue;
      this.closePopup();
      group.click.onClick(feature);
      return;
    }
  };

  private readonly onMouseMove = (event: MapMouseEvent) => {
    // While picking, the crosshair stays whatever is under the pointer.
    if (this.pointer.kind === 'pick') return;
    const layers = this.pointerGroups().flatMap((g) => [...(g.popup?.layers ?? []), ...(g.click?.layers ?? [])]);
    this.map.getCanvas().style.cursor = this.hit(layers, event) ? 'pointer' : '';
  };
}

/** A base layer as shown: hidden (visibility none) while some overlay asks for it, else as declared. */
function withVisibility(layer: LayerSpecification, hidden: Set<string>): LayerSpecification {
  if (!hidden.has(layer.id)) return layer;
  const layout = { ...((layer as { layout?: Record<string, unknown> }).layout ?? {}), visibility: 'none' };
  return { ...layer, layout } as LayerSpecification;
}

const sameLayers = (a: LayerSpecification[], b: LayerSpecification[]) =>
  a.length === b.length && a.every((layer, i) => layer === b[i]);
