import { useQuery } from '@tanstack/react-query';
import type { MapGeoJSONFeature, MapLibreMap } from 'maplibre-gl';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../api/admin-units';
import { configQuery } from '../api/config';
import { openDisputesQuery } from '../api/disputes';
import { stationsQuery } from '../api/stations';
import { useDisputeFilters } from '../features/filters/useFilters';
import { type Bbox, geometryBbox, unionBbox } from '../lib/geo';
import { baseSpec } from './base-map';
import { DashboardMap } from './dashboard-map';
import { SOURCE } from './layers';
import { useRegisterDashboardMap } from './map-context';
import { renderPopup } from './popup-content';
import { labelPoints } from './sources';

declare global {
  interface Window {
    /** Set only with `?testHooks=1`, for the e2e test to project coordinates to pixels. */
    __map?: MapLibreMap;
  }
}

interface MapViewProps {
  town: string | null;
  onSelectTown: (code: string) => void;
  /** Overlays (`<MapOverlay>`) and other children that need the map owner. */
  children?: ReactNode;
}

/**
 * Renders the map container and declares the base map (query results, the selection, the popups) to the map
 * owner. The map is created once the configuration is known (it decides whether there is an online basemap
 * under our layers); the owner is registered in the page's map context for overlays and panels.
 */
export function MapView({ town, onSelectTown, children }: MapViewProps) {
  const { t, i18n } = useTranslation();
  const containerRef = useRef<HTMLElement>(null);
  const [dashboardMap, setDashboardMap] = useState<DashboardMap | null>(null);
  const register = useRegisterDashboardMap();

  const config = useQuery(configQuery());
  const county = useQuery(adminUnitsQuery('county'));
  const towns = useQuery(adminUnitsQuery('town'));
  const villages = useQuery(adminUnitsQuery('village'));
  const stations = useQuery(stationsQuery());
  const filters = useDisputeFilters(null);
  const disputes = useQuery(openDisputesQuery(undefined, filters));

  // A failed /api/config still gives a map: the offline basemap needs nothing from it.
  const configSettled = config.isSuccess || config.isError;
  const basemapUrl = config.data?.basemapUrl ?? null;
  const basemapAttribution = config.data?.basemapAttribution ?? null;

  const townLabels = useMemo(() => (towns.data ? labelPoints(towns.data) : undefined), [towns.data]);
  const villageLabels = useMemo(() => (villages.data ? labelPoints(villages.data) : undefined), [villages.data]);
  const language = i18n.language;
  // The pointer's handlers close over the language and the selection callback: read through a ref, so that a
  // new callback does not declare a new base map.
  const pointer = useRef({
    renderPopup: (feature: MapGeoJSONFeature) => renderPopup(feature, t, language),
    onSelectTown,
  });
  pointer.current = { renderPopup: (feature) => renderPopup(feature, t, language), onSelectTown };
  const base = useMemo(
    () =>
      baseSpec(
        { basemapUrl, basemapAttribution },
        town,
        {
          [SOURCE.county]: county.data,
          [SOURCE.towns]: towns.data,
          [SOURCE.townLabels]: townLabels,
          [SOURCE.villages]: villages.data,
          [SOURCE.villageLabels]: villageLabels,
          [SOURCE.stations]: stations.data,
          [SOURCE.disputes]: disputes.data,
        },
        {
          renderPopup: (feature) => pointer.current.renderPopup(feature),
          onTownClick: (code) => pointer.current.onSelectTown(code),
        },
      ),
    [
      basemapUrl,
      basemapAttribution,
      town,
      county.data,
      towns.data,
      townLabels,
      villages.data,
      villageLabels,
      stations.data,
      disputes.data,
    ],
  );
  // The map is created with the base map as it is then; later changes go through setBase.
  const baseRef = useRef(base);
  baseRef.current = base;

  // The map's own control labels are fixed at creation; read them through a ref so a language switch does
  // not rebuild the map.
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    const container = containerRef.current;
    if (!configSettled || !container) return;
    const translate = tRef.current;
    const created = new DashboardMap({
      container,
      base: baseRef.current,
      locale: {
        'NavigationControl.ZoomIn': translate('map.zoomIn'),
        'NavigationControl.ZoomOut': translate('map.zoomOut'),
        'NavigationControl.ResetBearing': translate('map.resetBearing'),
        'Popup.Close': translate('popup.close'),
      },
    });
    if (new URLSearchParams(window.location.search).get('testHooks') === '1') window.__map = created.map;
    setDashboardMap(created);
    register(created);
    return () => {
      if (window.__map === created.map) delete window.__map;
      register(null);
      created.destroy();
      setDashboardMap(null);
    };
  }, [configSettled, register]);

  useEffect(() => {
    dashboardMap?.setBase(base);
  }, [dashboardMap, base]);

  // A popup in the old language would linger after a switch: close it.
  useEffect(() => {
    if (language) dashboardMap?.closePopup();
  }, [dashboardMap, language]);

  const countyBbox = useMemo(
    () => (county.data ? unionBbox(county.data.features.map((f) => geometryBbox(f.geometry))) : null),
    [county.data],
  );
  const townBbox = useMemo(() => {
    const feature = town ? towns.data?.features.find((f) => f.properties.code === town) : undefined;
    return feature ? geometryBbox(feature.geometry) : null;
  }, [town, towns.data]);

  const framed = useRef<Bbox | null>(null);
  useEffect(() => {
    if (!dashboardMap) {
      framed.current = null;
      return;
    }
    // A town code the boundaries do not know (a stale link) falls back to the county view.
    const townKnown = Boolean(town && townBbox);
    if (town && !townKnown && !towns.data) return;
    const target = townKnown ? townBbox : countyBbox;
    if (!target || target === framed.current) return;
    dashboardMap.fitTo(target, framed.current !== null);
    framed.current = target;
  }, [dashboardMap, town, townBbox, countyBbox, towns.data]);

  const queries = [county, towns, villages, stations, disputes];
  const failed = queries.filter((q) => q.isError);
  const loading = !dashboardMap || queries.some((q) => q.isPending);

  return (
    <div className="map-frame">
      <section ref={containerRef} className="map" data-testid="map" aria-label={t('map.label')} />
      {children}
      {failed.length > 0 ? (
        <div className="map-status map-status--error" role="alert">
          <span>{t('state.mapError', { message: failed[0]?.error?.message ?? '' })}</span>
          <button type="button" className="button" onClick={() => failed.forEach((q) => void q.refetch())}>
            {t('state.retry')}
          </button>
        </div>
      ) : loading ? (
        <div className="map-status" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('state.mapLoading')}
        </div>
      ) : null}
    </div>
  );
}
