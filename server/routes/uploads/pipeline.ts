import { createHash } from 'node:crypto';
import {
  batchById,
  batchByKey,
  finishBatch,
  ITEM_TEMP,
  insertBatch,
  insertItemsFromTemp,
  insertScreeningsFromTemp,
  itemTempColumns,
  locateRows,
  reserveScreeningIds,
  SCREENING_TEMP,
  type ScreeningInsert,
  screeningTempColumns,
  screeningTempRow,
  storedClientIdsOfTemp,
  villageDirectory,
  villageShapes,
} from '../../db/queries/uploads.js';
import type { Db, TempValue, Transaction } from '../../db/types.js';
import type { CoordinateSystem } from '../../domain/ingest/coordinates.js';
import { type ParsedTable, parseCsv, TableError, toTable } from '../../domain/ingest/csv.js';
import { DecodeError, decodeTextInSlices } from '../../domain/ingest/encoding.js';
import { parseOffThread } from '../../domain/ingest/parse-off-thread.js';
import {
  type CandidateRow,
  type RawRecord,
  type RowIssue,
  rowIssue,
  type ScreeningItem,
  validateRow,
} from '../../domain/ingest/rows.js';
import { VillageLocator, type VillageShape } from '../../domain/ingest/village-locator.js';
import { VillageDirectory, type VillageEntry } from '../../domain/ingest/villages.js';
import { yieldToEventLoop } from '../../domain/ingest/yield.js';
import type { Uploader } from '../../plugins/auth.js';
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

/**
 * Rows per chunk: validated together, then stored by one COPY and one INSERT … SELECT while the next chunk is
 * validated. Large enough that the statements' fixed costs vanish, small enough that the first chunk reaches the
 * database early (measured with `npm run bench -- --only ingest`).
 */
const CHUNK = 25_000;
/** The stored report keeps this many lines; a file with more problems has a systematic fault the first ones show. */
const MAX_REPORT = 10_000;

export async function findBatchByKey(db: Db, key: string): Promise<BatchRow | null> {
  const q = batchByKey(key);
  const { rows } = await db.query<BatchRow>(q.text, q.values);
  return rows[0] ?? null;
}

/** The ids reserved for `n` rows (`reserveScreeningIds`), in row order. */
async function reserveIds(tx: Transaction, n: number): Promise<Float64Array> {
  const q = reserveScreeningIds(n);
  const ids = new Float64Array(n);
  let at = 0;
  for (const r of (await tx.query<{ first: string; n: number }>(q.text, q.values)).rows) {
    const first = Number(r.first);
    for (let k = 0; k < r.n; k++) ids[at++] = first + k;
  }
  if (at !== n) throw new Error(`reserved ${at} screening ids for ${n} rows`);
  return ids;
}

/** The risk items of the rows, each naming its screening by the reserved id. */
function* itemRows(rows: readonly ScreeningInsert[], ids: Float64Array): Generator<TempValue[]> {
  for (const [i, r] of rows.entries()) {
    for (const item of r.items) yield [ids[i] as number, item.category, item.risk_level, item.note];
  }
}

/** The file's SHA-256, hashed a few megabytes at a time with a turn of the event loop in between. */
async function sha256InSlices(bytes: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.length; at += 8 * 1024 * 1024) {
    hash.update(bytes.subarray(at, at + 8 * 1024 * 1024));
    await yieldToEventLoop();
  }
  return hash.digest('hex');
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
    // Whole-document parsers (exceljs, JSON.parse) run on a worker thread; decoding and CSV go in slices.
    const parsing = () => req.onProgress?.('parsing', 1, 2);
    if (req.format === 'xlsx') {
      parsing();
      const rows = await parseOffThread({ kind: 'xlsx', bytes, maxRows: req.maxRows });
      return { table: toTable(rows, req.maxRows), encoding: null, areas: new Map(), issues: [] };
    }
    const { text, encoding } = await decodeTextInSlices(bytes, yieldToEventLoop);
    parsing();
    if (req.format === 'geojson') {
      const g = await parseOffThread({ kind: 'geojson', text, crs: req.crs, maxRows: req.maxRows });
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

/** What validation gathers across the chunks of one upload. */
interface IngestState {
  report: RowIssue[];
  rejected: Set<number>;
  seen: Map<string, number>;
}

/**
 * The records validated, converted and located, CHUNK rows at a time (the report and rejected rows gather in
 * `state`). Points are located in memory; rows with a screened area (GeoJSON files) also need the database's
 * verdict on the area's validity, so they go through the database, which locates them as well.
 */
async function* validatedChunks(
  db: Db,
  req: UploadRequest,
  table: ParsedTable,
  areas: Map<number, string>,
  fileHash: string | null,
  state: IngestState,
): AsyncGenerator<ScreeningInsert[]> {
  const progress = req.onProgress ?? (() => {});
  const directoryQuery = villageDirectory();
  const directory = new VillageDirectory(
    (await db.query<VillageEntry>(directoryQuery.text, directoryQuery.values)).rows,
  );
  const shapesQuery = villageShapes();
  const locator = new VillageLocator((await db.query<VillageShape>(shapesQuery.text, shapesQuery.values)).rows);
  const ctx = {
    crs: req.crs,
    defaultScreener: req.uploadedBy,
    fallbackClientId: (row: number) => rowUuid(fileHash ?? req.idempotencyKey ?? '', row),
  };
  const { report, rejected, seen } = state;
  const records = table.records;
  for (let at = 0; at < records.length; at += CHUNK) {
    progress('validating', at, records.length);
    const candidates: CandidateRow[] = [];
    const end = Math.min(at + CHUNK, records.length);
    for (let i = at; i < end; i++) {
      const { row, rec } = records[i] as ParsedTable['records'][number];
      if (i % 2000 === 0) await yieldToEventLoop();
      if (rejected.has(row)) continue;
      const { candidate, issues: rowIssues } = validateRow(row, rec, ctx);
      if (rowIssues.length > 0) report.push(...rowIssues);
      if (!candidate) {
        rejected.add(row);
        continue;
      }
      candidate.area = areas.get(row) ?? null;
      if (req.formItems) candidate.items = req.formItems;
      const first = seen.get(candidate.clientId);
      if (first !== undefined) {
        report.push(rowIssue(row, 'client_id', 'error', 'same_id', { row: first }));
        rejected.add(row);
        continue;
      }
      seen.set(candidate.clientId, row);
      candidates.push(candidate);
    }
    const withArea = candidates.filter((c) => c.area !== null);
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
    const rows: ScreeningInsert[] = [];
    for (const c of candidates) {
      const loc =
        c.area !== null
          ? located.get(c.row)
          : { village_code: c.lon === null ? null : locator.locate(c.lon, c.lat as number), invalid_reason: null };
      if (loc?.invalid_reason) {
        report.push(rowIssue(c.row, 'geometry', 'error', 'invalid_polygon', { reason: loc.invalid_reason }));
        rejected.add(c.row);
        continue;
      }
      const { village, issues: villageIssues } = directory.resolve(c, loc?.village_code ?? null);
      if (villageIssues.length > 0) report.push(...villageIssues);
      if (!village) {
        rejected.add(c.row);
        continue;
      }
      if (req.uploader && !req.uploader.allows(village.villageCode)) {
        report.push({
          row: c.row,
          field: 'village_code',
          reason: req.uploader.outside(village.villageCode),
          severity: 'error',
        });
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
    yield rows;
  }
}

/**
 * Stores one chunk in the open transaction: ids reserved, the rows COPYed into a temporary table of the chunk's
 * own (`upload_screenings_<n>`) and stored by one INSERT … SELECT, then their items the same way. Rows stored by
 * an earlier batch (a re-sent file or phone entry) are skipped by the insert and reported; when every row went
 * in, there is nothing to look up. Returns how many rows were stored.
 */
async function storeChunk(
  tx: Transaction,
  batchId: number,
  roundId: number | null,
  rows: readonly ScreeningInsert[],
  n: number,
  report: RowIssue[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = await reserveIds(tx, rows.length);
  const temp = `${SCREENING_TEMP}_${n}`;
  await tx.loadTemp(
    temp,
    screeningTempColumns,
    rows.map((r, i) => screeningTempRow(r, ids[i] as number)),
  );
  const q = insertScreeningsFromTemp(batchId, roundId, temp);
  const stored = (await tx.query(q.text, q.values)).rowCount;
  if (rows.some((r) => r.items.length > 0)) {
    const itemTemp = `${ITEM_TEMP}_${n}`;
    await tx.loadTemp(itemTemp, itemTempColumns, itemRows(rows, ids));
    const iq = insertItemsFromTemp(stored === rows.length, itemTemp);
    await tx.query(iq.text, iq.values);
  }
  if (stored < rows.length) await reportStoredBefore(tx, batchId, temp, report);
  return stored;
}

/** Adds a warning for each row of `temp` whose client id another batch stored. */
async function reportStoredBefore(tx: Transaction, batchId: number, temp: string, report: RowIssue[]) {
  const sq = storedClientIdsOfTemp(batchId, temp);
  for (const r of (await tx.query<{ row: number; batch_id: number | null }>(sq.text, sq.values)).rows) {
    report.push(rowIssue(r.row, 'client_id', 'warning', 'already_stored', { batch: Number(r.batch_id ?? 0) }));
  }
}

/**
 * One upload, end to end, in ONE transaction, so that an interrupted batch leaves no rows behind. On the PostGIS
 * server a partial-mode upload streams: each chunk is stored while the next one is validated (the database works
 * on its own core meanwhile), in a transaction opened before validation. The embedded database has one
 * connection, which a transaction holds, and all-or-nothing must see every row before storing any: there,
 * everything is validated first and then stored, or — all-or-nothing with a rejected row — the batch record alone.
 */
export async function ingest(db: Db, req: UploadRequest): Promise<{ batch: BatchRow; replayed: boolean }> {
  if (req.idempotencyKey) {
    const existing = await findBatchByKey(db, req.idempotencyKey);
    if (existing) return { batch: existing, replayed: true };
  }
  const progress = req.onProgress ?? (() => {});
  // Parsing in two steps: hashing and decoding (sliced), then the parse itself (sliced, or on a worker thread).
  progress('parsing', 0, 2);
  const fileHash = req.bytes ? await sha256InSlices(req.bytes) : null;
  const { table, encoding, areas, issues } = await parse(req);
  const total = table.records.length;
  progress('validating', 0, total);
  const state: IngestState = {
    report: [...issues],
    rejected: new Set(issues.filter((i) => i.severity === 'error').map((i) => i.row)),
    seen: new Map(),
  };
  for (const h of table.unknownHeaders) {
    state.report.push(rowIssue(1, h, 'warning', 'unknown_column'));
  }
  const streaming = db.backend === 'postgis' && !req.allOrNothing && areas.size === 0;
  const chunks = validatedChunks(db, req, table, areas, fileHash, state);
  // Not streaming: every chunk validated before the transaction opens.
  const ready: ScreeningInsert[][] = [];
  if (!streaming) for await (const c of chunks) ready.push(c);

  try {
    const batchId = await db.transaction(async (tx: Transaction) => {
      const ins = insertBatch({
        idempotencyKey: req.idempotencyKey,
        fileName: req.fileName,
        format: req.format,
        encoding,
        crs: req.crs,
        uploadedBy: req.uploadedBy,
        uploadedById: req.uploader?.id ?? null,
        allOrNothing: req.allOrNothing,
        roundId: req.roundId,
        fileSha256: fileHash,
      });
      const id = Number((await tx.query<{ id: number }>(ins.text, ins.values)).rows[0]?.id);
      const storeReport: RowIssue[] = [];
      const refuse = !streaming && req.allOrNothing && state.rejected.size > 0;
      let stored = 0;
      let handed = 0;
      let n = 0;
      if (refuse) {
        // Nothing is stored; the report still says which rows an earlier batch already holds.
        const rows = ready.flat();
        if (rows.length > 0) {
          const temp = `${SCREENING_TEMP}_0`;
          await tx.loadTemp(
            temp,
            screeningTempColumns,
            rows.map((r) => screeningTempRow(r, null)),
          );
          await reportStoredBefore(tx, id, temp, storeReport);
        }
      } else {
        // Each chunk is stored while the next is validated; a failure rejects `pending`, awaited before the next.
        let pending: Promise<number> = Promise.resolve(0);
        const source: AsyncIterable<ScreeningInsert[]> | ScreeningInsert[][] = streaming ? chunks : ready;
        for await (const rows of source) {
          stored += await pending;
          progress('storing', handed, total);
          handed += rows.length;
          pending = storeChunk(tx, id, req.roundId, rows, n++, storeReport);
          pending.catch(() => {});
        }
        stored += await pending;
        progress('storing', handed, total);
      }
      const report = [...state.report, ...storeReport].sort((a, b) => a.row - b.row);
      const fin = finishBatch(
        id,
        {
          total,
          accepted: stored,
          rejected: state.rejected.size,
          duplicate: refuse ? 0 : handed - stored,
          status: refuse ? 'rejected' : 'stored',
        },
        report.length > MAX_REPORT ? report.slice(0, MAX_REPORT) : report,
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
