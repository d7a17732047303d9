/** Shapes of the HTTP API (server/routes). */
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';

export type {
  AdminLevel,
  DisputeCategory,
  DisputeStatus,
  RiskLevel,
  StationKind,
} from '../../../server/contract/vocabulary';
// One vocabulary for server and browser: server/contract/ is dependency-free, so the bundle
// takes only these constants from it.
export {
  disputeCategories,
  disputeStatuses,
  riskLevels,
  stationKinds,
} from '../../../server/contract/vocabulary';

import type {
  AdminLevel,
  DisputeCategory,
  DisputeStatus,
  RiskLevel,
  StationKind,
} from '../../../server/contract/vocabulary';

export interface HealthResponse {
  status: 'ok';
  backend: 'embedded' | 'postgis';
  postgres: string;
  postgis: string;
}

export interface AppConfig {
  /** XYZ raster tile URL template ({z}/{x}/{y}), or null for the offline basemap made of our own boundaries. */
  basemapUrl: string | null;
  basemapAttribution: string | null;
  dataPeriod: { from: string; to: string };
  /** The day ages, overdue limits and task due dates are measured to (the demo's pinned "now"). */
  asOf: string;
  demo: boolean;
}

export interface AdminUnitProperties {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
  labelLon: number;
  labelLat: number;
}
export type AdminUnitFeature = Feature<MultiPolygon, AdminUnitProperties>;
export type AdminUnitCollection = FeatureCollection<MultiPolygon, AdminUnitProperties>;

export interface StationProperties {
  id: number;
  kind: StationKind;
  name: string;
  townCode: string;
  townName: string;
  staffCount: number | null;
  openedOn: string | null;
}
export type StationCollection = FeatureCollection<Point, StationProperties>;

export interface DisputeProperties {
  id: number;
  caseNo: string;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  status: DisputeStatus;
  reportedAt: string;
  townCode: string;
  townName: string;
  villageCode: string | null;
  villageName: string | null;
  ageDays: number;
}
export type DisputeCollection = FeatureCollection<Point, DisputeProperties>;

export interface Kpis {
  found: number;
  resolved: number;
  failed: number;
  referred: number;
  open: number;
  /** resolved ÷ found (the article's 化解率), 0..1, null when found = 0. */
  successRate: number | null;
  /** resolved ÷ (resolved + failed + referred). */
  closedSuccessRate: number | null;
  /** 小事不出村: resolved at village level ÷ resolved. */
  villageLevelRate: number | null;
  /** 大事不出镇: resolved at village or town level ÷ resolved. */
  townLevelRate: number | null;
}

export type TownKpis = { code: string; name: string } & Kpis;

export interface SummaryResponse {
  total: Kpis;
  towns: TownKpis[];
}

/** Body of every 4xx/5xx answer. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
}
