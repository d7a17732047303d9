import type { ParseKeys } from 'i18next';
import type { ComponentType } from 'react';
import type { Role } from '../../api/auth';

export interface ViewProps {
  /** The selected town (drill-down), shared by every view and kept in the URL. */
  town: string | null;
  onSelectTown: (code: string | null) => void;
}

/**
 * A dashboard view: a tab in the side panel with its own panel and its own map overlays. Features add their
 * view to `registry.ts`; the base map (boundaries, stations, open cases) is shared by all of them.
 */
export interface DashboardView {
  id: string;
  /** i18n key of the tab label. */
  labelKey: ParseKeys;
  Panel: ComponentType<ViewProps>;
  /** Renders `<MapOverlay>`s; mounted inside the map while the view is active. */
  Overlays?: ComponentType<ViewProps>;
  /** Roles that see this view (all by default); the server refuses the others' requests anyway. */
  roles?: readonly Role[];
}
