/** Bulk uploads of screenings (POST /api/uploads), the screenings themselves and the screening rounds. */
import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { analyticsKeys } from './analytics';
import { ApiError, type ApiErrorBody, apiUrl, getJson, invalidate } from './client';
import type { VillageState } from './vocabulary';

export interface ReportLine {
  row: number;
  field: string;
  /** Stable reason code, translated by the page (uploads.reasons.*); absent in reports stored before codes. */
  code?: string;
  params?: Record<string, string | number>;
  /** The reason in English. */
  reason: string;
  severity: 'error' | 'warning';
}

export interface UploadBatch {
  id: number;
  fileName: string | null;
  format: string;
  encoding: string | null;
  crs: string;
  uploadedBy: string;
  uploadedAt: string;
  status: 'stored' | 'rejected';
  allOrNothing: boolean;
  rowsTotal: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsDuplicate: number;
  replayed?: boolean;
  report?: ReportLine[];
}

export interface UploadProgress {
  stage: 'parsing' | 'validating' | 'locating' | 'storing' | 'done';
  done: number;
  total: number;
}

export interface ScreeningRound {
  id: number;
  name: string;
  kind: 'monthly' | 'special';
  startsOn: string;
  dueOn: string;
  towns: string[] | null;
}

export interface TownProgress {
  townCode: string;
  townName: string;
  villages: number;
  risks: number;
  zero: number;
  overdue: number;
  pending: number;
}

export type RoundVillages = FeatureCollection<
  Polygon | MultiPolygon,
  { code: string; name: string; townCode: string; state: VillageState }
>;
export type ScreeningPoints = FeatureCollection<
  Point,
  {
    id: number;
    villageCode: string;
    village: string;
    town: string;
    screenedOn: string;
    zeroReport: boolean;
    riskLevel: string | null;
    items: number;
    locationMismatch: boolean;
  }
>;

export const uploadKeys = {
  batches: ['uploads', 'batches'] as const,
  screenings: ['screenings'] as const,
  rounds: ['screening-rounds'] as const,
};

/** What an upload makes stale: the batches, the screenings, the rounds' progress, and the risk hot spots. */
export const UPLOAD_STALE = [uploadKeys.batches, uploadKeys.screenings, uploadKeys.rounds, analyticsKeys.all] as const;

export const UPLOAD_TEMPLATES = ['screenings.csv', 'screenings.xlsx', 'screenings.geojson'] as const;
export const uploadTemplateUrl = (name: (typeof UPLOAD_TEMPLATES)[number]) => `/api/uploads/templates/${name}`;

/** A batch's row report as CSV, its reasons in the page's language. */
export const uploadReportUrl = (id: number, language: string) =>
  apiUrl(`/api/uploads/${id}/report.csv`, { lang: language === 'en' ? 'en' : 'zh-CN' });

export const recentBatchesQuery = () =>
  queryOptions({
    queryKey: uploadKeys.batches,
    queryFn: ({ signal }) => getJson<UploadBatch[]>('/api/uploads?limit=20', signal),
  });

export const batchScreeningsQuery = (batch: number | null) =>
  queryOptions({
    queryKey: [...uploadKeys.screenings, { batch }] as const,
    queryFn: ({ signal }) => getJson<ScreeningPoints>(apiUrl('/api/screenings', { batch, limit: 10000 }), signal),
    enabled: batch !== null,
  });

export const roundsQuery = () =>
  queryOptions({
    queryKey: uploadKeys.rounds,
    queryFn: ({ signal }) => getJson<ScreeningRound[]>('/api/screening-rounds', signal),
  });

export const roundProgressQuery = (round: number | null) =>
  queryOptions({
    queryKey: [...uploadKeys.rounds, round, 'progress'] as const,
    queryFn: ({ signal }) => getJson<TownProgress[]>(`/api/screening-rounds/${round}/progress`, signal),
    enabled: round !== null,
  });

export const roundVillagesQuery = (round: number | null) =>
  queryOptions({
    queryKey: [...uploadKeys.rounds, round, 'villages'] as const,
    queryFn: ({ signal }) => getJson<RoundVillages>(`/api/screening-rounds/${round}/villages`, signal),
    enabled: round !== null,
  });

export interface UploadOptions {
  file: File;
  crs: string;
  mode: 'partial' | 'all_or_nothing';
  idempotencyKey: string;
  onUploadProgress: (fraction: number) => void;
  onUploaded: () => void;
}

/**
 * Sends a file with XMLHttpRequest, the one browser API that reports upload progress. Resolves with the batch
 * (also for 422, where the batch was refused as a whole); rejects with ApiError for other failures.
 */
export function uploadFile(o: UploadOptions): Promise<UploadBatch> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/api/uploads', { crs: o.crs, mode: o.mode }));
    xhr.setRequestHeader('idempotency-key', o.idempotencyKey);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) o.onUploadProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => o.onUploaded();
    xhr.onload = () => {
      const body = xhr.response as UploadBatch | ApiErrorBody | null;
      if ((xhr.status >= 200 && xhr.status < 300) || xhr.status === 422) resolve(body as UploadBatch);
      else reject(new ApiError(xhr.status, (body as ApiErrorBody | null) ?? null, '/api/uploads'));
    };
    xhr.onerror = () => reject(new Error('network'));
    const form = new FormData();
    form.append('file', o.file);
    xhr.send(form);
  });
}

/** An upload as a mutation: resolves with the batch (also one refused as a whole), then refreshes UPLOAD_STALE. */
export const uploadMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: uploadFile,
    onSuccess: () => invalidate(queryClient, UPLOAD_STALE),
  });

/** Processing progress of a running upload; null before the server has started on it. */
export async function fetchUploadProgress(key: string): Promise<UploadProgress | null> {
  const res = await fetch(`/api/uploads/progress/${encodeURIComponent(key)}`);
  return res.ok ? ((await res.json()) as UploadProgress) : null;
}

export interface ToDoVillage {
  code: string;
  name: string;
  town_code: string;
  state: 'overdue' | 'pending';
}

/** Villages of a round still to report, for the screener's own town. */
export const roundToDoQuery = (round: number | null, town: string) =>
  queryOptions({
    queryKey: [...uploadKeys.rounds, round, 'to-do', town] as const,
    queryFn: ({ signal }) => getJson<ToDoVillage[]>(apiUrl(`/api/screening-rounds/${round}/to-do`, { town }), signal),
    enabled: round !== null && town !== '',
  });
