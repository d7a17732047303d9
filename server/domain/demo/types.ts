import type { MultiPolygon, Point, Position } from 'geojson';
import type {
  AdminLevel,
  DisputeCategory,
  DisputeStatus,
  MediationChannel,
  ResolutionLevel,
  RiskLevel,
  StationKind,
} from '../vocabulary.js';

/** One row of the demo county's geography, ready to insert into admin_units. */
export interface DemoAdminUnit {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
  geometry: MultiPolygon;
  /** A point inside the unit where its label goes. */
  labelPoint: Position;
}

export interface DemoStation {
  /** Stable key within the demo set, e.g. "ps-430723108" (police station of 王家厂镇). */
  key: string;
  kind: StationKind;
  name: string;
  townCode: string;
  point: Point;
  staffCount: number;
  openedOn: string; // YYYY-MM-DD
  /** For a joint mediation room: the police station hosting it and the judicial office staffing it. */
  hostKey: string | null;
  staffedByKey: string | null;
}

export interface DemoDispute {
  caseNo: string; // e.g. LX-2021-012345
  category: DisputeCategory;
  riskLevel: RiskLevel;
  status: DisputeStatus;
  channel: MediationChannel | null;
  resolutionLevel: ResolutionLevel | null;
  reportedAt: string; // ISO 8601 with +08:00 offset
  acceptedAt: string | null;
  resolvedAt: string | null;
  lon: number;
  lat: number;
  villageCode: string;
  townCode: string;
  stationKey: string;
  summary: string;
}

export interface DemoScreening {
  clientId: string; // UUID, deterministic
  villageCode: string;
  townCode: string;
  screenedOn: string; // YYYY-MM-DD
  screener: string; // synthetic, e.g. "网格员A017"
  lon: number;
  lat: number;
  zeroReport: boolean;
  items: { category: DisputeCategory; riskLevel: RiskLevel; note: string }[];
}

export interface DemoRound {
  name: string; // labelled 演示
  kind: 'monthly';
  startsOn: string; // YYYY-MM-DD
  dueOn: string;
}

export interface DemoDataset {
  adminUnits: DemoAdminUnit[];
  stations: DemoStation[];
  disputes: DemoDispute[];
  screenings: DemoScreening[];
  rounds: DemoRound[];
}
