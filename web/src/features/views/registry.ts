import type { Role } from '../../api/auth';
import { AssessmentOverlays } from '../assessment/AssessmentOverlays';
import { AssessmentPanel } from '../assessment/AssessmentPanel';
import { CasesOverlays } from '../cases/CasesOverlays';
import { CasesPanel } from '../cases/CasesPanel';
import { CoverageOverlays } from '../coverage/CoverageOverlays';
import { CoveragePanel } from '../coverage/CoveragePanel';
import { HotspotsOverlays } from '../hotspots/HotspotsOverlays';
import { HotspotsPanel } from '../hotspots/HotspotsPanel';
import { OverviewPanel } from '../overview/OverviewPanel';
import { MediatorsPanel } from '../people/MediatorsPanel';
import { MeetingsOverlays } from '../people/MeetingsOverlays';
import { MeetingsPanel } from '../people/MeetingsPanel';
import { TasksPanel } from '../tasks/TasksPanel';
import { ScreeningsOverlays } from '../uploads/ScreeningsOverlays';
import { ScreeningsPanel } from '../uploads/ScreeningsPanel';
import { WarningsOverlays } from '../warnings/WarningsOverlays';
import type { DashboardView } from './types';

/** The side panel's tabs, in order. The first one is the default view. */
export const VIEWS: readonly DashboardView[] = [
  { id: 'overview', labelKey: 'views.overview', Panel: OverviewPanel, Overlays: WarningsOverlays },
  { id: 'hotspots', labelKey: 'hotspots.tab', Panel: HotspotsPanel, Overlays: HotspotsOverlays },
  // Coverage compares every town's rooms and cases: county roles only (server/auth/policy.ts).
  {
    id: 'coverage',
    labelKey: 'coverage.tab',
    Panel: CoveragePanel,
    Overlays: CoverageOverlays,
    roles: ['admin', 'leader'],
  },
  { id: 'screenings', labelKey: 'uploads.tab', Panel: ScreeningsPanel, Overlays: ScreeningsOverlays },
  { id: 'cases', labelKey: 'cases.tab', Panel: CasesPanel, Overlays: CasesOverlays },
  // 交办 / 督办 / 销号: each role sees its own tasks (the server limits the list).
  {
    id: 'tasks',
    labelKey: 'tasks.tab',
    Panel: TasksPanel,
    roles: ['admin', 'leader', 'town_officer', 'station_staff'],
  },
  // Issue 18: the register of mediators and staff, and the joint meetings (staff roles; screeners do not see them).
  {
    id: 'mediators',
    labelKey: 'people.mediatorsTab',
    Panel: MediatorsPanel,
    roles: ['admin', 'leader', 'town_officer', 'station_staff'],
  },
  {
    id: 'meetings',
    labelKey: 'people.meetingsTab',
    Panel: MeetingsPanel,
    Overlays: MeetingsOverlays,
    roles: ['admin', 'leader', 'town_officer', 'station_staff'],
  },
  // The assessment ranks every town against the others: county roles only, as the server allows.
  {
    id: 'assessment',
    labelKey: 'assessment.tab',
    Panel: AssessmentPanel,
    Overlays: AssessmentOverlays,
    roles: ['admin', 'leader'],
  },
];

/** The views a role sees. */
export function viewsFor(role: Role | null): readonly DashboardView[] {
  return VIEWS.filter((v) => !v.roles || (role !== null && v.roles.includes(role)));
}

export function findView(id: string | null, role: Role | null = null): DashboardView {
  return viewsFor(role).find((v) => v.id === id) ?? (VIEWS[0] as DashboardView);
}
