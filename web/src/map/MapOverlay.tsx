import { useEffect } from 'react';
import type { OverlaySpec } from './dashboard-map';
import { useDashboardMap } from './map-context';

/**
 * Declares one overlay on the dashboard map, as react-map-gl's layer components do: it renders nothing, adds
 * its sources and layers on mount, pushes only what changed on update (memoise `spec`), removes them on
 * unmount. `spec` null hides the overlay.
 */
export function MapOverlay({ id, spec }: { id: string; spec: OverlaySpec | null }) {
  const map = useDashboardMap();
  useEffect(() => {
    map?.setOverlay(id, spec);
  }, [map, id, spec]);
  useEffect(() => () => map?.setOverlay(id, null), [map, id]);
  return null;
}
