import type { Role } from './roles.js';

/**
 * The access policy of every route, in one table: who may call it and how a scoped caller (town officer, station
 * staff, field screener, town-limited export token) is limited. The auth plugin refuses to start when a route
 * under /api, /tiles or /ogc has no entry here, so a new route cannot ship unguarded, and the role × route ×
 * scope test walks this table against the registered routes.
 */
export type ScopeRule =
  /** No object or rows to limit (reference geography, templates, the caller's own data). */
  | 'none'
  /** Rows filtered by the shared `town` / `village` query filters: forced to the caller's town, 404 outside it. */
  | 'filter'
  /** `:id` is a dispute (case): 404 unless its town (or, for station staff, its station) is in scope. */
  | 'dispute'
  /** `:id` is a station: 404 unless its town is in scope. */
  | 'station'
  /** `:id` is an upload batch: 404 unless the caller uploaded it or (staff) it is in their town. */
  | 'upload'
  /** The route limits its own rows from `request.principal` (documented at the route). */
  | 'route';

export interface RouteAccess {
  /** 'public': no sign-in (health, config, login, docs, the web app). */
  roles: readonly Role[] | 'public';
  scope: ScopeRule;
  /** Audit action written for every call (writes are always audited). */
  audit?: string;
  /** Rate limit per client per minute (login, exports). */
  perMinute?: number;
  /**
   * What the rate limit counts per: the caller (account or token, else the address; the default), or the address
   * and the username of the body (sign-in: a county office behind one address must not lock out all its staff;
   * guessing at one account is stopped by the account lockout as well).
   */
  rateKey?: 'caller' | 'username';
  /** The route writes its own audit row when it succeeds (before answering); the plugin audits only refusals. */
  auditedByRoute?: boolean;
}

const ADMIN = ['admin'] as const;
/** People who read the dashboard. */
const STAFF = ['admin', 'leader', 'town_officer', 'station_staff'] as const;
/** People who work cases. */
const CASE_WORKERS = ['admin', 'town_officer', 'station_staff'] as const;
/** The export API's readers: staff and export tokens (which never see personal data). */
const EXPORTERS = [...STAFF, 'export_client'] as const;
const SIGNED_IN = ['admin', 'leader', 'town_officer', 'station_staff', 'screener', 'export_client'] as const;
const PEOPLE = ['admin', 'leader', 'town_officer', 'station_staff', 'screener'] as const;
const SCREENERS = [...CASE_WORKERS, 'screener'] as const;
/** County-wide planning views (coverage of mediation rooms): their per-town and per-room figures count every
 * town's cases, so town-limited roles do not get them. */
const COUNTY = ['admin', 'leader'] as const;
/** Who keeps the register of mediators: the county (justice bureau) and the towns (their judicial offices). */
const REGISTER_KEEPERS = ['admin', 'town_officer'] as const;

/** Who hands out tasks: the county and the town officers. */
const ASSIGNERS = ['admin', 'leader', 'town_officer'] as const;

const r = (roles: RouteAccess['roles'], scope: ScopeRule, extra: Partial<RouteAccess> = {}): RouteAccess => ({
  roles,
  scope,
  ...extra,
});

/** Key: "METHOD /route/url" as Fastify registers it (HEAD follows GET). */
export const routePolicy: Record<string, RouteAccess> = {
  'GET /api/health': r('public', 'none'),
  'GET /api/config': r('public', 'none'),

  'POST /api/auth/login': r('public', 'none', { perMinute: 10, rateKey: 'username' }),
  'POST /api/auth/setup': r('public', 'none', { perMinute: 10 }),
  'GET /api/auth/setup': r('public', 'none'),
  'POST /api/auth/logout': r(PEOPLE, 'none'),
  'GET /api/auth/me': r(SIGNED_IN, 'none'),
  'GET /api/auth/session': r('public', 'none'),
  'POST /api/auth/password': r(PEOPLE, 'none', { perMinute: 10 }),

  'GET /api/accounts': r(ADMIN, 'none'),
  'POST /api/accounts': r(ADMIN, 'none'),
  'PATCH /api/accounts/:id': r(ADMIN, 'none'),
  'GET /api/tokens': r(ADMIN, 'none'),
  'POST /api/tokens': r(ADMIN, 'none'),
  'DELETE /api/tokens/:id': r(ADMIN, 'none'),
  'GET /api/audit': r(ADMIN, 'none'),

  'GET /api/admin-units': r(SIGNED_IN, 'none'),
  'GET /api/admin-units/:code': r(SIGNED_IN, 'none'),

  'GET /api/summary': r(STAFF, 'filter'),
  'GET /api/coverage': r(COUNTY, 'none'),
  'GET /api/coverage/areas': r(COUNTY, 'none'),
  'GET /api/coverage/villages': r(COUNTY, 'none'),
  'GET /api/coverage/gaps': r(COUNTY, 'none'),
  'GET /api/analytics/hotspots': r(STAFF, 'filter'),
  'GET /api/analytics/density': r(STAFF, 'filter'),
  'GET /api/analytics/emerging': r(STAFF, 'filter'),
  'GET /api/analytics/unresolved': r(STAFF, 'filter'),
  'GET /api/analytics/units': r(STAFF, 'filter'),
  'GET /api/analytics/resolution-levels': r(STAFF, 'filter'),
  'GET /api/analytics/monthly': r(STAFF, 'filter'),
  'GET /api/analytics/weekday-hour': r(STAFF, 'filter'),
  'GET /api/analytics/categories': r(STAFF, 'filter'),
  'GET /api/analytics/cases/:id/history': r(STAFF, 'dispute'),

  'GET /api/stations': r(SIGNED_IN, 'none'),
  'GET /api/stations/:id': r(SIGNED_IN, 'none'),
  'POST /api/stations': r(ADMIN, 'none'),
  'PATCH /api/stations/:id': r(ADMIN, 'station'),
  'DELETE /api/stations/:id': r(ADMIN, 'station'),

  // The register: the caller's town; station staff asking for their own station also get its cases filed in
  // other towns (the 'dispute' rule lets them open those). Statistics and maps stay by town.
  'GET /api/cases': r(STAFF, 'route'),
  'GET /api/cases/figures': r(STAFF, 'filter'),
  'GET /api/disputes': r(STAFF, 'filter'),
  'POST /api/disputes': r(CASE_WORKERS, 'route'),
  'GET /api/disputes/:id': r(STAFF, 'dispute'),
  'PATCH /api/disputes/:id': r(CASE_WORKERS, 'dispute'),
  'GET /api/disputes/:id/case': r(STAFF, 'dispute'),
  'GET /api/disputes/:id/events': r(STAFF, 'dispute'),
  'POST /api/disputes/:id/transitions': r(CASE_WORKERS, 'dispute'),
  'POST /api/disputes/:id/handoffs': r(CASE_WORKERS, 'dispute'),
  'POST /api/disputes/:id/agreement': r(CASE_WORKERS, 'dispute'),
  'POST /api/disputes/:id/reopen': r(CASE_WORKERS, 'dispute'),
  // One party in clear: the roles of mayRevealPersonalData (leaders see masked data only); audited per reveal.
  'POST /api/disputes/:id/parties/:partyId/reveal': r(CASE_WORKERS, 'dispute', { auditedByRoute: true }),

  // The register of mediators and staff (issue 18): lists by town ('filter'); one mediator by its serving town
  // (the handler, 404 outside); the register is kept by the county and the towns; names revealed one at a time.
  'GET /api/mediators': r(STAFF, 'filter'),
  'GET /api/mediators/checks': r(STAFF, 'filter'),
  'GET /api/mediators/:id': r(STAFF, 'route'),
  'POST /api/mediators': r(REGISTER_KEEPERS, 'route'),
  'PATCH /api/mediators/:id': r(REGISTER_KEEPERS, 'route'),
  'POST /api/mediators/:id/trainings': r(REGISTER_KEEPERS, 'route'),
  'POST /api/mediators/:id/reveal': r(CASE_WORKERS, 'route', { auditedByRoute: true }),
  'GET /api/disputes/:id/mediators': r(STAFF, 'dispute'),
  'PUT /api/disputes/:id/mediators': r(CASE_WORKERS, 'dispute'),
  // Follow-up visits (issue 18).
  'GET /api/disputes/:id/visits': r(STAFF, 'dispute'),
  'POST /api/disputes/:id/visits': r(CASE_WORKERS, 'dispute'),
  'GET /api/visits/overdue': r(STAFF, 'filter'),
  'GET /api/visits/satisfaction': r(STAFF, 'filter'),

  // Joint meetings (issue 18): a town's by town ('filter'); one meeting by its town (county meetings: county
  // callers only); recorded by the county and the towns.
  'GET /api/meetings': r(STAFF, 'filter'),
  'GET /api/meetings/regularity': r(STAFF, 'filter'),
  'GET /api/meetings/attendees': r(STAFF, 'filter'),
  'GET /api/meetings/:id': r(STAFF, 'route'),
  'POST /api/meetings': r(REGISTER_KEEPERS, 'route'),

  // The case dossier and documents (issue 18): every download is audited; a revealed party in a document too.
  'GET /api/disputes/:id/dossier': r(STAFF, 'dispute'),
  'PUT /api/disputes/:id/dossier': r(CASE_WORKERS, 'dispute'),
  'PUT /api/disputes/:id/judicial-confirmation': r(CASE_WORKERS, 'dispute'),
  'GET /api/disputes/:id/document': r(STAFF, 'dispute', { audit: 'document' }),
  'GET /api/dossier/completeness': r(STAFF, 'filter'),

  'GET /api/screenings': r(SCREENERS, 'route'),
  'POST /api/screenings': r(SCREENERS, 'route'),
  'POST /api/screening-rounds': r(ADMIN, 'none'),
  'GET /api/screening-rounds': r(PEOPLE, 'none'),
  'GET /api/screening-rounds/:id/villages': r(SCREENERS, 'route'),
  'GET /api/screening-rounds/:id/progress': r(STAFF, 'route'),
  'GET /api/screening-rounds/:id/to-do': r(SCREENERS, 'route'),

  'POST /api/uploads': r(SCREENERS, 'route'),
  'GET /api/uploads': r(PEOPLE, 'route'),
  'GET /api/uploads/progress/:key': r(SCREENERS, 'none'),
  'GET /api/uploads/templates/:name': r(SIGNED_IN, 'none'),
  'GET /api/uploads/:id': r(PEOPLE, 'upload'),
  'GET /api/uploads/:id/report.csv': r(PEOPLE, 'upload'),

  'GET /api/export/disputes.geojson': r(EXPORTERS, 'filter', { audit: 'export', perMinute: 30 }),
  'GET /api/export/disputes.ndjson': r(EXPORTERS, 'filter', { audit: 'export', perMinute: 30 }),
  'GET /api/export/disputes.csv': r(EXPORTERS, 'filter', { audit: 'export', perMinute: 30 }),
  'GET /api/export/screenings.geojson': r(EXPORTERS, 'filter', { audit: 'export', perMinute: 30 }),
  'GET /api/export/screenings.ndjson': r(EXPORTERS, 'filter', { audit: 'export', perMinute: 30 }),
  'GET /api/export/screenings.csv': r(EXPORTERS, 'filter', { audit: 'export', perMinute: 30 }),
  'GET /api/export/stations.geojson': r(EXPORTERS, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/export/stations.ndjson': r(EXPORTERS, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/export/stations.csv': r(EXPORTERS, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/export/admin-units.geojson': r(EXPORTERS, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/export/admin-units.ndjson': r(EXPORTERS, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/export/admin-units.csv': r(EXPORTERS, 'none', { audit: 'export', perMinute: 30 }),

  // Early warnings (issue 16): the handler limits rows to the caller's towns (and station staff's station);
  // county-wide warnings (parties across towns) reach county roles only.
  'GET /api/warnings': r(STAFF, 'route'),
  'GET /api/warnings/rules': r(STAFF, 'none'),
  'PUT /api/warnings/rules/:code': r(ADMIN, 'none', { auditedByRoute: true }),
  'POST /api/warnings/evaluate': r(ADMIN, 'none', { auditedByRoute: true }),
  'GET /api/warnings/:id': r(STAFF, 'route'),
  'POST /api/warnings/:id/acknowledge': r(CASE_WORKERS, 'route', { auditedByRoute: true }),
  'POST /api/warnings/:id/dismiss': r(CASE_WORKERS, 'route', { auditedByRoute: true }),

  'GET /tiles/disputes/:z/:x/:y.mvt': r(EXPORTERS, 'filter'),
  'GET /tiles/admin-units/:z/:x/:y.mvt': r(SIGNED_IN, 'none'),
  'GET /tiles/stations/:z/:x/:y.mvt': r(SIGNED_IN, 'none'),
  'GET /tiles/:layer/:z/:x/:y.mvt': r(SIGNED_IN, 'none'),

  'GET /ogc': r(EXPORTERS, 'none'),
  'GET /ogc/conformance': r(EXPORTERS, 'none'),
  'GET /ogc/collections': r(EXPORTERS, 'none'),
  'GET /ogc/collections/:collectionId': r(EXPORTERS, 'none'),
  'GET /ogc/collections/:collectionId/items': r(EXPORTERS, 'route', { audit: 'export' }),
  'GET /ogc/collections/:collectionId/items/:featureId': r(EXPORTERS, 'route'),

  // Notifications (issue 16): each caller reads and marks only their own rows, within their scope now.
  'GET /api/notifications': r(PEOPLE, 'route'),
  'GET /api/notifications/unread': r(PEOPLE, 'route'),
  'POST /api/notifications/read': r(PEOPLE, 'route'),
  'GET /api/notifications/stream': r(PEOPLE, 'route'),
  'GET /api/notification-rules': r(ADMIN, 'none'),
  'PUT /api/notification-rules': r(ADMIN, 'none'),

  // Tasks (交办 / 督办 / 销号): each caller sees their own (a screener's, a station's, a town's, the county's);
  // county and town users assign. Figures are per town like the other KPIs.
  'GET /api/tasks': r(PEOPLE, 'route'),
  'GET /api/tasks/figures': r(STAFF, 'filter'),
  'GET /api/tasks/assignees': r(ASSIGNERS, 'route'),
  'GET /api/tasks/:id': r(PEOPLE, 'route'),
  'POST /api/tasks': r(ASSIGNERS, 'route'),
  'POST /api/tasks/:id/transitions': r(PEOPLE, 'route'),
  // The assessment ranks every town and room against the others: county-wide, like coverage.
  'GET /api/assessment': r(COUNTY, 'none'),
  'GET /api/assessment.csv': r(COUNTY, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/assessment.xlsx': r(COUNTY, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/assessment/standards': r(COUNTY, 'none'),
  'POST /api/assessment/standards': r(ADMIN, 'none'),
  // Briefings carry the county's ranking and every town's figures: county roles, as the assessment.
  'GET /api/briefings/:period.pdf': r(COUNTY, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/briefings/:period.xlsx': r(COUNTY, 'none', { audit: 'export', perMinute: 30 }),
  'GET /api/briefings': r(COUNTY, 'none'),
  'GET /api/briefings/stored/:id.pdf': r(COUNTY, 'none', { audit: 'export' }),
  'GET /api/briefings/stored/:id.xlsx': r(COUNTY, 'none', { audit: 'export' }),
  'GET /api/briefing-schedules': r(COUNTY, 'none'),
  'PUT /api/briefing-schedules': r(ADMIN, 'none'),
};

/** Paths that need a policy entry (everything else — docs, the web app — is public by nature). */
export const guardedPath = (url: string) => /^\/(api|tiles|ogc)(\/|$)/.test(url);

export function policyKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}
