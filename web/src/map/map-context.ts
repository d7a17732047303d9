import { createContext, useContext } from 'react';
import type { DashboardMap } from './dashboard-map';

/** The map owner, for components that declare overlays (null until the map exists). */
export const DashboardMapContext = createContext<DashboardMap | null>(null);

export const useDashboardMap = () => useContext(DashboardMapContext);
