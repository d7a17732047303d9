import { createHash } from 'node:crypto';
import {
  batchById,
  batchByKey,
  finishBatch,
  insertBatch,
  insertScreeningsFromTemp,
  locateRows,
  SCREENING_TEMP,
  type ScreeningInsert,
  screeningTempColumns,
  screeningTempRow,
  storedClientIdsOfTemp,
  villageDirectory,
  villageShapes,
} from '../../db/queries/uploads.js';
import type { Db, Transaction } from '../../db/types.js';
import type { CoordinateSystem } from '../../domain/ingest/coordinates.js';
import { type ParsedTable, parseCsv, TableError } from '../../domain/ingest/csv.js';
import { DecodeError, decodeText } from '../../domain/ingest/encoding.js';
import { parseGeoJson } from '../../domain/ingest/geojson.js';
import {
  type CandidateRow,
  type RawRecord,
  type RowIssue,
  type ScreeningItem,
  validateRow,
} from '../../domain/ingest/rows.js';
import { VillageLocator, type VillageShape } from '../../domain/ingest/village-locator.js';
import { VillageDirectory, type VillageEntry } from '../../domain/ingest/villages.js';
import { parseXlsx } from '../../domain/ingest/xlsx.js';
import { yieldToEventLoop } from '../../domain/ingest/yield.js';
import { HttpError } from '../../plugins/errors.js';

export type UploadFormat = 'csv' | 'xlsx' | 'geojson' | 'form';

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

/** Rows per database round trip (one JSON parameter each), as the seed does. */
const CHUNK = 5000;
/** The stored report keeps this many lines; a file with more problems has a systematic fault the first ones show. */
const MAX_REPORT = 10_000;

export async function findBatchByKey(db: Db, key: string): Promise<BatchRow | null> {
  const q = batchByKey(key);
  const { rows } = await db.query<BatchRow>(q.text, q.values);
  return rows[0] ?? null;
}

/** The rows to store as temp-table rows, reporting progress every CHUNK rows as they are handed to the Db. */
function* rowsWithProgress(
  rows: readonly ScreeningInsert[],
  progress: (stage: Progress['stage'], done: number, total: number) => void,
): Generator<ReturnType<typeof screeningTempRow>> {
  for (const [i, r] of rows.entries()) {
    if (i % CHUNK === 0) progress('storing', i, rows.length);
    yield screeningTempRow(r);
  }
}

/** A stable UUID for a row without one: the same file's same row always gets the same id. */
function rowUuid(fileHash: string, row: number): string {
  const h = createHash('sha256').update(`${fileHash}:${row}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function parse(req: UploadRequest): Promise<{
  table: ParsedTable;
  encoding: string | null;
  areas: Map<number, string>;
  issues: RowIssue[];
}> {
  if (req.records)
    return { table: { records: req.records, unknownHeaders: [] }, encoding: null, areas: new Map(), issues: [] };
  const bytes = req.bytes as Buffer;
  try {
    if (req.format === 'xlsx')
      return { table: await parseXlsx(bytes, req.maxRows), encoding: null, areas: new Map(), issues: [] };
    const { text, encoding } = decodeText(bytes);
    if (req.format === 'geojson') {
      const g = parseGeoJson(text, req.crs, req.maxRows);
      return { table: g, encoding, areas: g.areas, issues: g.issues };
    }
    return { table: await parseCsv(text, req.maxRows), encoding, areas: new Map(), issues: [] };
  } catch (err) {
    if (err instanceof TableError) {
      throw new HttpError(
        400,
        `file${err.row ? ` row ${err.row}` : ''}: ${err.message}`,
        err.row ? `row ${err.row}` : 'file',
      );
    }
    if (err instanceof DecodeError) throw new HttpError(400, `file: ${err.message}`, 'file');
    throw err;
  }
}

/**
 * One upload, end to end: parse and validate everything BEFORE the transaction (the embedded database has one
 * connection and a transaction holds it), then store the valid part — or, all-or-nothing, the batch record
 * alone — in ONE transaction, so an interrupted batch leaves no rows behind.
 */
export async function ingest(db: Db, req: UploadRequest): Promise<{ batch: BatchRow; replayed: boolean }> {
  if (req.idempotencyKey) {
    const existing = await findBatchByKey(db, req.idempotencyKey);
    if (existing) return { batch: existing, replayed: true };
  }
  const progress = req.onProgress ?? (() => {});
  progress('parsing', 0, 1);
  const fileHash = req.bytes ? createHash('sha256').update(req.bytes).digest('hex') : null;
  const { table, encoding, areas, issues } = await parse(req);
  const total = table.records.length;
  const report: RowIssue[] = [...issues];
  for (const h of table.unknownHeaders) {
    report.push({ row: 1, field: h, reason: 'unknown column, ignored', severity: 'warning' });
  }
  const rejected = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.row));

  const candidates: CandidateRow[] = [];
  const seen = new Map<string, number>();
  const ctx = {
    crs: req.crs,
    defaultScreener: req.uploadedBy,
    fallbackClientId: (row: number) => rowUuid(fileHash ?? req.idempotencyKey ?? '', row),
  };
  for (const [i, { row, rec }] of table.records.entries()) {
    if (i % 2000 === 0) {
      progress('validating', i, total);
      await yieldToEventLoop();
    }
    if (rejected.has(row)) continue;
    const { candidate, issues: rowIssues } = validateRow(row, rec, ctx);
    report.push(...rowIssues);
    if (!candidate) {
      rejected.add(row);
      continue;
    }
    candidate.area = areas.get(row) ?? null;
    if (req.formItems) candidate.items = req.formItems;
    const first = seen.get(candidate.clientId);
    if (first !== undefined) {
      report.push({ row, field: 'client_id', reason: `same id as row ${first}`, severity: 'error' });
      rejected.add(row);
      continue;
    }
    seen.set(candidate.clientId, row);
    candidates.push(candidate);
  }

  const directoryQuery = villageDirectory();
  const directory = new VillageDirectory(
    (await db.query<VillageEntry>(directoryQuery.text, directoryQuery.values)).rows,
  );
  const shapesQuery = villageShapes();
  const locator = new VillageLocator((await db.query<VillageShape>(shapesQuery.text, shapesQuery.values)).rows);
  const rows: ScreeningInsert[] = [];
  for (let at = 0; at < candidates.length; at += CHUNK) {
    progress('locating', at, candidates.length);
    const chunk = candidates.slice(at, at + CHUNK);
    // Points are located in memory; rows with a screened area (GeoJSON files) also need the database's verdict on
    // the area's validity, so they go through the database, which locates them as well.
    const withArea = chunk.filter((c) => c.area !== null);
    const located = new Map<number, { village_code: string | null; invalid_reason: string | null }>();
    if (withArea.length > 0) {
      const q = locateRows(withArea.map((c) => ({ row: c.row, lon: c.lon, lat: c.lat, area: c.area })));
      const { rows: found } = await db.query<{
        row: number;
        village_code: string | null;
        invalid_reason: string | null;
      }>(q.text, q.values);
      for (const r of found) located.set(r.row, r);
    }
    for (const c of chunk) {
      const loc =
        c.area !== null
          ? located.get(c.row)
          : { village_code: c.lon === null ? null : locator.locate(c.lon, c.lat as number), invalid_reason: null };
      if (loc?.invalid_reason) {
        report.push({
          row: c.row,
          field: 'geometry',
          reason: `invalid polygon: ${loc.invalid_reason}`,
          severity: 'error',
        });
        rejected.add(c.row);
        continue;
      }
      const { village, issues: villageIssues } = directory.resolve(c, loc?.village_code ?? null);
      report.push(...villageIssues);
      if (!village) {
        rejected.add(c.row);
        continue;
      }
      rows.push({
        row: c.row,
        client_id: c.clientId,
        village_code: village.villageCode,
        town_code: village.townCode,
        screened_on: c.screenedOn,
        screener: c.screener,
        lon: c.lon,
        lat: c.lat,
        zero_report: c.zeroReport,
        location_mismatch: village.locationMismatch,
        area: c.area,
        items: c.items,
      });
    }
    await yieldToEventLoop();
  }

  const refuse = req.allOrNothing && rejected.size > 0;
  progress('storing', 0, rows.length);
  try {
    const batchId = await db.transaction(async (tx: Transaction) => {
      const ins = insertBatch({
        idempotencyKey: req.idempotencyKey,
        fileName: req.fileName,
        format: req.format,
        encoding,
        crs: req.crs,
        uploadedBy: req.uploadedBy,
        allOrNothing: req.allOrNothing,
        roundId: req.roundId,
        fileSha256: fileHash,
      });
      const id = Number((await tx.query<{ id: number }>(ins.text, ins.values)).rows[0]?.id);
      const batchReport = [...report];
      let stored = 0;
      if (rows.length > 0) {
        // The Db loads the rows its fastest way (COPY on the PostGIS server) into a temporary table, and one
        // statement stores them. Rows stored by an earlier batch (a re-sent file or phone entry) are skipped by the
        // insert and then reported; when every row went in, there is nothing to look up.
        await tx.loadTemp(SCREENING_TEMP, screeningTempColumns, rowsWithProgress(rows, progress));
        if (!refuse) {
          const q = insertScreeningsFromTemp(id, req.roundId);
          stored = Number((await tx.query<{ stored: number }>(q.text, q.values)).rows[0]?.stored ?? 0);
        }
        if (stored < rows.length) {
          const sq = storedClientIdsOfTemp(id);
          for (const r of (await tx.query<{ row: number; batch_id: number | null }>(sq.text, sq.values)).rows) {
            batchReport.push({
              row: r.row,
              field: 'client_id',
              reason: `already stored by batch ${r.batch_id ?? 0}, not stored again`,
              severity: 'warning',
            });
          }
        }
        progress('storing', rows.length, rows.length);
      }
      batchReport.sort((a, b) => a.row - b.row);
      const storedReport = batchReport.length > MAX_REPORT ? batchReport.slice(0, MAX_REPORT) : batchReport;
      const fin = finishBatch(
        id,
        {
          total,
          accepted: stored,
          rejected: rejected.size,
          duplicate: refuse ? 0 : rows.length - stored,
          status: refuse ? 'rejected' : 'stored',
        },
        storedReport,
      );
      await tx.query(fin.text, fin.values);
      return id;
    });
    progress('done', 1, 1);
    const q = batchById(batchId);
    return { batch: (await db.query<BatchRow>(q.text, q.values)).rows[0] as BatchRow, replayed: false };
  } catch (err) {
    // Two requests with the same key at once: the second loses the unique race and answers with the first.
    if ((err as { code?: string }).code === '23505' && req.idempotencyKey) {
      const existing = await findBatchByKey(db, req.idempotencyKey);
      if (existing) return { batch: existing, replayed: true };
    }
    throw err;
  }
}
