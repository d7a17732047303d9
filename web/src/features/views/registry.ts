import { CasesOverlays } from '../cases/CasesOverlays';
import { CasesPanel } from '../cases/CasesPanel';
import { CoverageOverlays } from '../coverage/CoverageOverlays';
import { CoveragePanel } from '../coverage/CoveragePanel';
import { HotspotsOverlays } from '../hotspots/HotspotsOverlays';
import { HotspotsPanel } from '../hotspots/HotspotsPanel';
import { OverviewPanel } from '../overview/OverviewPanel';
import { ScreeningsOverlays } from '../uploads/ScreeningsOverlays';
import { ScreeningsPanel } from '../uploads/ScreeningsPanel';
import type { DashboardView } from './types';

/** The side panel's tabs, in order. The first one is the default view. */
export const VIEWS: readonly DashboardView[] = [
  { id: 'overview', labelKey: 'views.overview', Panel: OverviewPanel },
  { id: 'hotspots', labelKey: 'hotspots.tab', Panel: HotspotsPanel, Overlays: HotspotsOverlays },
  { id: 'coverage', labelKey: 'coverage.tab', Panel: CoveragePanel, Overlays: CoverageOverlays },
  { id: 'screenings', labelKey: 'uploads.tab', Panel: ScreeningsPanel, Overlays: ScreeningsOverlays },
  { id: 'cases', labelKey: 'cases.tab', Panel: CasesPanel, Overlays: CasesOverlays },
];

export function findView(id: string | null): DashboardView {
  return VIEWS.find((v) => v.id === id) ?? (VIEWS[0] as DashboardView);
}
