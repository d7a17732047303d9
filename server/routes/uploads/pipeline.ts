import { createHash } from 'node:crypto';
import {
  batchById,
  batchByKey,
  finishBatch,
  ITEM_TEMP,
  insertBatch,
  insertItemsFromTemp,
  insertScreeningsFromTemp,
  itemColumns,
  locateRows,
  nextScreeningId,
  SCREENING_TEMP,
  type ScreeningInsert,
  screeningCopyColumns,
  screeningCopyRow,
  screeningTempColumns,
  screeningTempRow,
  sequenceIncrement,
  storedClientIdsOfTemp,
  villageDirectory,
  villageShapes,
} from '../../db/queries/uploads.js';
import type { Db, TempValue, Transaction } from '../../db/types.js';
import type { CoordinateSystem } from '../../domain/ingest/coordinates.js';
import { csvRecords, type ParsedTable, TableError, toTable } from '../../domain/ingest/csv.js';
import { DecodeError, decodeSlices, decodeTextInSlices, detectEncoding } from '../../domain/ingest/encoding.js';
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
import { publishScreeningRisks } from '../../services/notifications/sources.js';

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

/**
 * Reserves `n` consecutive screening ids (`sequenceIncrement`) in a short transaction of its own, before the
 * upload's transaction opens (so a one-connection pool never waits on itself); returns the first.
 */
async function reserveIds(db: Db, n: number): Promise<number> {
  if (n === 0) return 0;
  // One row (a phone-form entry, the usual upload): a plain nextval, no change of the sequence.
  if (n === 1) return Number((await db.query<{ last: string }>(nextScreeningId().text)).rows[0]?.last);
  return db.transaction(async (t) => {
    await t.query(sequenceIncrement(n).text);
    const last = Number((await t.query<{ last: string }>(nextScreeningId().text)).rows[0]?.last);
    await t.query(sequenceIncrement(1).text);
    return last - n + 1;
  });
}

/** The risk items of the rows, each naming its screening by its id (`first` + the row's index). */
function* itemRows(rows: readonly ScreeningInsert[], first: number): Generator<TempValue[]> {
  for (const [i, r] of rows.entries()) {
    for (const item of r.items) yield [first + i, item.category, item.risk_level, item.note];
  }
}

/** The rows as `screeningCopyColumns` rows, made as the COPY reads them. */
function* screeningCopyRows(
  rows: readonly ScreeningInsert[],
  first: number,
  batchId: number,
  roundId: number | null,
): Generator<TempValue[]> {
  for (const [i, r] of rows.entries()) yield screeningCopyRow(r, first + i, batchId, roundId);
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

/** An upload's records as they are parsed, with what parsing learnt about the file. */
interface RecordSource {
  batches: AsyncIterable<ParsedTable['records']>;
  encoding: string | null;
  /** Screened areas (GeoJSON) by row. */
  areas: Map<number, string>;
  issues: RowIssue[];
  /** Header names no field matches; filled in once the header is read. */
  unknownHeaders: string[];
  /** At least as many as the records (the ids reserved for a streamed file). */
  upperBound: number;
}

/** A parse failure as the 400 that names the file, and the row where the parser knows it. */
function parseError(err: unknown): unknown {
  if (err instanceof TableError) {
    return new HttpError(
      400,
      `file${err.row ? ` row ${err.row}` : ''}: ${err.message}`,
      err.row ? `row ${err.row}` : 'file',
    );
  }
  if (err instanceof DecodeError) return new HttpError(400, `file: ${err.message}`, 'file');
  return err;
}

async function* mapParseErrors<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw parseError(err);
  }
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/** Lines in the file (newline bytes + 1): no CSV has more records. */
function countLines(bytes: Buffer): number {
  let n = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * The records of an upload. A CSV streams: decoded a megabyte at a time and parsed as it decodes, so the first
 * chunk is validated and stored while the rest is still being read. Whole-document formats (exceljs, JSON.parse)
 * are parsed on a worker thread and come as one batch.
 */
async function open(req: UploadRequest): Promise<RecordSource> {
  const whole = (
    table: ParsedTable,
    encoding: string | null,
    areas = new Map<number, string>(),
    issues: RowIssue[] = [],
  ) => ({
    batches: once(table.records),
    encoding,
    areas,
    issues,
    unknownHeaders: table.unknownHeaders,
    upperBound: table.records.length,
  });
  if (req.records) return whole({ records: req.records, unknownHeaders: [] }, null);
  const bytes = req.bytes as Buffer;
  const parsing = () => req.onProgress?.('parsing', 1, 2);
  try {
    if (req.format === 'xlsx') {
      parsing();
      const rows = await parseOffThread({ kind: 'xlsx', bytes, maxRows: req.maxRows });
      return whole(toTable(rows, req.maxRows), null);
    }
    if (req.format === 'geojson') {
      const { text, encoding } = await decodeTextInSlices(bytes, yieldToEventLoop);
      parsing();
      const g = await parseOffThread({ kind: 'geojson', text, crs: req.crs, maxRows: req.maxRows });
      return whole(g, encoding, g.areas, g.issues);
    }
  } catch (err) {
    throw parseError(err);
  }
  parsing();
  const encoding = detectEncoding(bytes);
  const header = { unknown: [] as string[] };
  return {
    batches: mapParseErrors(csvRecords(decodeSlices(bytes, encoding, yieldToEventLoop), req.maxRows, header)),
    encoding,
    areas: new Map(),
    issues: [],
    unknownHeaders: header.unknown,
    upperBound: Math.min(countLines(bytes), req.maxRows),
  };
}

/** `batches` regrouped into arrays of `size` items (the last one shorter). */
async function* inChunks<T>(batches: AsyncIterable<T[]>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const batch of batches) {
    for (const item of batch) {
      chunk.push(item);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** What validation gathers across the chunks of one upload. */
interface IngestState {
  report: RowIssue[];
  rejected: Set<number>;
  seen: Map<string, number>;
  /** Records read so far. */
  total: number;
}

/** The villages an upload is checked against, read before its transaction opens. */
interface Lookups {
  directory: VillageDirectory;
  locator: VillageLocator;
}

/**
 * The lookups, read once per database: boundaries change only with an import (the demo seed before the app
 * serves, `bench:data`), as the hot spot study areas assume. A phone-form entry then costs no read of every village
 * outline. A failed read is not kept.
 */
const lookupCache = new WeakMap<Db, Promise<Lookups>>();

function lookups(db: Db): Promise<Lookups> {
  let hit = lookupCache.get(db);
  if (!hit) {
    hit = readLookups(db);
    lookupCache.set(db, hit);
    hit.catch(() => lookupCache.delete(db));
  }
  return hit;
}

async function readLookups(db: Db): Promise<Lookups> {
  const directoryQuery = villageDirectory();
  const shapesQuery = villageShapes();
  return {
    directory: new VillageDirectory((await db.query<VillageEntry>(directoryQuery.text, directoryQuery.values)).rows),
    locator: new VillageLocator((await db.query<VillageShape>(shapesQuery.text, shapesQuery.values)).rows),
  };
}

/**
 * The records validated, converted and located, CHUNK rows at a time as they are parsed (the report and rejected
 * rows gather in `state`). Points are located in memory; rows with a screened area (GeoJSON files) also need the
 * database's verdict on the area's validity, so they go through the database, which locates them as well.
 */
async function* validatedChunks(
  db: Db,
  req: UploadRequest,
  source: RecordSource,
  { directory, locator }: Lookups,
  fileHash: string | null,
  state: IngestState,
): AsyncGenerator<ScreeningInsert[]> {
  const progress = req.onProgress ?? (() => {});
  const ctx = {
    crs: req.crs,
    defaultScreener: req.uploadedBy,
    fallbackClientId: (row: number) => rowUuid(fileHash ?? req.idempotencyKey ?? '', row),
  };
  const { report, rejected, seen } = state;
  const areas = source.areas;
  for await (const records of inChunks(source.batches, CHUNK)) {
    progress('validating', state.total, Math.max(source.upperBound, state.total));
    state.total += records.length;
    const candidates: CandidateRow[] = [];
    for (const [i, { row, rec }] of records.entries()) {
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
        const { code, params } = req.uploader.outside(village.villageCode);
        report.push(rowIssue(c.row, 'village_code', 'error', code, params));
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
 * Stores one chunk in the open transaction; its rows take the ids `first`, `first + 1`, … (reserved). The rows
 * are COPYed straight into `screenings` and their items into `screening_items`, inside a savepoint. If a client
 * id is already stored (a re-sent file or phone entry: the unique violation ends the COPY), the chunk goes back to
 * the savepoint and takes the slower way: COPY into a temporary table of its own (`upload_screenings_<n>`), one
 * INSERT … SELECT that skips the stored client ids (reported), then the items of the rows stored. Screened areas
 * (GeoJSON) always take that way: the database turns their GeoJSON into geometries. Returns how many rows were
 * stored.
 */
async function storeChunk(
  tx: Transaction,
  batchId: number,
  roundId: number | null,
  rows: readonly ScreeningInsert[],
  first: number,
  n: number,
  report: RowIssue[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const hasItems = rows.some((r) => r.items.length > 0);
  if (rows.every((r) => r.area === null)) {
    try {
      return await tx.savepoint(`upload_chunk_${n}`, async () => {
        await tx.copyRows('screenings', screeningCopyColumns, screeningCopyRows(rows, first, batchId, roundId));
        if (hasItems) await tx.copyRows('screening_items', itemColumns, itemRows(rows, first));
        return rows.length;
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
    }
  }
  const temp = `${SCREENING_TEMP}_${n}`;
  await tx.loadTemp(
    temp,
    screeningTempColumns,
    rows.map((r, i) => screeningTempRow(r, first + i)),
  );
  const q = insertScreeningsFromTemp(batchId, roundId, temp);
  const stored = (await tx.query(q.text, q.values)).rowCount;
  if (hasItems) {
    const itemTemp = `${ITEM_TEMP}_${n}`;
    await tx.loadTemp(itemTemp, itemColumns, itemRows(rows, first));
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
  // Parsing: hashing (sliced), then the parse itself (a CSV streams into validation; other formats on a worker).
  progress('parsing', 0, 2);
  const fileHash = req.bytes ? await sha256InSlices(req.bytes) : null;
  const source = await open(req);
  progress('validating', 0, source.upperBound);
  const state: IngestState = {
    report: [...source.issues],
    rejected: new Set(source.issues.filter((i) => i.severity === 'error').map((i) => i.row)),
    seen: new Map(),
    total: 0,
  };
  const streaming = db.backend === 'postgis' && !req.allOrNothing && source.areas.size === 0;
  const chunks = validatedChunks(db, req, source, await lookups(db), fileHash, state);
  // Not streaming: every chunk validated before the transaction opens.
  const ready: ScreeningInsert[][] = [];
  if (!streaming) for await (const c of chunks) ready.push(c);
  const refuse = !streaming && req.allOrNothing && state.rejected.size > 0;
  // Ids for every row that may be stored: the rows validated, or — streaming — as many as the file can hold.
  const idCount = refuse ? 0 : streaming ? source.upperBound : ready.reduce((n, c) => n + c.length, 0);
  let nextId = await reserveIds(db, idCount);
  const idsEnd = nextId + idCount;
  const takeIds = (n: number) => {
    if (nextId + n > idsEnd) throw new Error(`${n} rows to store with ${idsEnd - nextId} screening ids reserved`);
    const first = nextId;
    nextId += n;
    return first;
  };

  try {
    const batchId = await db.transaction(async (tx: Transaction) => {
      const ins = insertBatch({
        idempotencyKey: req.idempotencyKey,
        fileName: req.fileName,
        format: req.format,
        encoding: source.encoding,
        crs: req.crs,
        uploadedBy: req.uploadedBy,
        uploadedById: req.uploader?.id ?? null,
        allOrNothing: req.allOrNothing,
        roundId: req.roundId,
        fileSha256: fileHash,
      });
      const id = Number((await tx.query<{ id: number }>(ins.text, ins.values)).rows[0]?.id);
      const storeReport: RowIssue[] = [];
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
        const validated: AsyncIterable<ScreeningInsert[]> | ScreeningInsert[][] = streaming ? chunks : ready;
        for await (const rows of validated) {
          stored += await pending;
          progress('storing', handed, Math.max(source.upperBound, state.total));
          handed += rows.length;
          pending = storeChunk(tx, id, req.roundId, rows, takeIds(rows.length), n++, storeReport);
          pending.catch(() => {});
        }
        stored += await pending;
        progress('storing', handed, state.total);
      }
      for (const h of source.unknownHeaders) state.report.push(rowIssue(1, h, 'warning', 'unknown_column'));
      const report = [...state.report, ...storeReport].sort((a, b) => a.row - b.row);
      const fin = finishBatch(
        id,
        {
          total: state.total,
          accepted: stored,
          rejected: state.rejected.size,
          duplicate: refuse ? 0 : handed - stored,
          status: refuse ? 'rejected' : 'stored',
        },
        report.length > MAX_REPORT ? report.slice(0, MAX_REPORT) : report,
      );
      await tx.query(fin.text, fin.values);
      if (!refuse) await publishScreeningRisks(tx, id);
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
