import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import type { DashboardMap, PointerMode } from './dashboard-map';

interface MapHandle {
  map: DashboardMap | null;
  setMap: (map: DashboardMap | null) => void;
}

const MapContext = createContext<MapHandle>({ map: null, setMap: () => {} });

/**
 * Holds the dashboard's map owner for the whole page: the map view registers it, and overlays and side panels
 * alike reach it (a panel frames a place on the map by calling the owner, no event bus in between).
 */
export function MapProvider({ children }: { children: ReactNode }) {
  const [map, setMap] = useState<DashboardMap | null>(null);
  return <MapContext.Provider value={{ map, setMap }}>{children}</MapContext.Provider>;
}

/** The map owner, for components that declare overlays or move the map (null until the map exists). */
export const useDashboardMap = () => useContext(MapContext).map;

/** Registers the map owner a map view created (null when it is gone). */
export const useRegisterDashboardMap = () => useContext(MapContext).setMap;

/**
 * While `onPick` is given, the map is in "pick a location" mode: a crosshair, and a click calls `onPick` and
 * nothing else (no popup, no town selection); back to browsing when it is null or the component unmounts.
 */
export function usePickMode(map: DashboardMap | null, onPick: ((lonLat: [number, number]) => void) | null): void {
  useEffect(() => {
    if (!map || !onPick) return;
    const mode: PointerMode = { kind: 'pick', onPick };
    map.setPointerMode(mode);
    return () => map.setPointerMode({ kind: 'browse' });
  }, [map, onPick]);
}
