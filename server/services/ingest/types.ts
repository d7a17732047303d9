import type { CoordinateSystem } from '../../domain/ingest/coordinates.js';
import type { RawRecord, RowIssue, ScreeningItem } from '../../domain/ingest/rows.js';

export type UploadFormat = 'csv' | 'xlsx' | 'geojson' | 'form';

/** The signed-in uploader of screenings (files or the phone form). */
export interface Uploader {
  /** Account id (null for an API token). */
  id: number | null;
  /** May this uploader report for the village? Field screeners: their villages; staff: their towns. */
  allows(villageCode: string): boolean;
  /** The row-level reason when not, as a report code with its parameters. */
  outside(villageCode: string): OutsideReason;
}

/** Why a row is outside the uploader's scope: a report code (server/domain/ingest/reasons.ts) and its parameters. */
export interface OutsideReason {
  code: 'not_assigned_village' | 'outside_town';
  params: Record<string, string>;
}

export interface UploadRequest {
  bytes: Buffer | null;
  /** For the phone form: the records already as fields. */
  records?: { row: number; rec: RawRecord }[];
  /** For the phone form: all its risk items (a file row carries at most one). */
  formItems?: ScreeningItem[];
  format: UploadFormat;
  fileName: string | null;
  crs: CoordinateSystem;
  allOrNothing: boolean;
  uploadedBy: string;
  /** The signed-in uploader (issue 8): stored as uploaded_by_id; rows outside their villages or town are rejected. */
  uploader?: Uploader | undefined;
  idempotencyKey: string | null;
  roundId: number | null;
  maxRows: number;
  onProgress?: (stage: Progress['stage'], done: number, total: number) => void;
}

export interface Progress {
  stage: 'parsing' | 'validating' | 'locating' | 'storing' | 'done';
  done: number;
  total: number;
}

export interface BatchRow {
  id: number;
  idempotency_key: string | null;
  file_name: string | null;
  format: string;
  encoding: string | null;
  crs: string;
  uploaded_by: string;
  uploaded_at: string;
  rows_total: number;
  rows_accepted: number;
  rows_rejected: number;
  rows_duplicate: number;
  status: 'stored' | 'rejected';
  all_or_nothing: boolean;
  round_id: number | null;
  report: RowIssue[];
}

/** What validation gathers across the chunks of one upload. */
export interface IngestState {
  report: RowIssue[];
  rejected: Set<number>;
  seen: Map<string, number>;
  /** Records read so far. */
  total: number;
}
