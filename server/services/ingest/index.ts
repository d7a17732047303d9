import {
  batchById,
  batchByKey,
  deleteUnfinishedBatches,
  deleteUnfinishedScreenings,
  finishBatch,
  insertBatch,
  type ScreeningInsert,
} from '../../db/queries/uploads.js';
import type { Db, Queryable, Transaction } from '../../db/types.js';
import { type RowIssue, rowIssue } from '../../domain/ingest/rows.js';
import { publishScreeningRisks } from '../notifications/sources.js';
import { openRecords, type RecordSource, sha256InSlices } from './source.js';
import { reportRefused, reservedIds, storeChunk } from './store.js';
import type { BatchRow, IngestState, UploadRequest } from './types.js';
import { lookups, validatedChunks } from './validate.js';

export type { BatchRow, OutsideReason, Progress, Uploader, UploadFormat, UploadRequest } from './types.js';

type BatchOrStoring = BatchRow | (Omit<BatchRow, 'status'> & { status: 'storing' });

/** The stored report keeps this many lines; a file with more problems has a systematic fault the first ones show. */
const MAX_REPORT = 10_000;

/** A batch by its key; one still 'storing' (embedded database: not committed in full) says so. */
export async function findBatchByKey(db: Queryable, key: string): Promise<BatchOrStoring | null> {
  const q = batchByKey(key);
  const { rows } = await db.query<BatchOrStoring>(q.text, q.values);
  return rows[0] ?? null;
}

/** An upload parsed and, unless it streams, validated: what its one transaction is to store. */
interface Plan {
  source: RecordSource;
  fileHash: string | null;
  state: IngestState;
  /** The validated chunks: all of them (validated before the transaction), or as they come (streaming). */
  chunks: ScreeningInsert[][] | AsyncIterable<ScreeningInsert[]>;
  /** All-or-nothing with a rejected row: the batch record alone is stored. */
  refuse: boolean;
  /** The first of `n` reserved screening ids. */
  takeIds: (n: number) => number;
}

/**
 * Parsing (the hash sliced, then the parse itself: a CSV streams into validation, other formats on a worker),
 * validation unless the upload streams, and the screening ids reserved: everything before the transaction.
 */
async function plan(db: Db, req: UploadRequest): Promise<Plan> {
  req.onProgress?.('parsing', 0, 2);
  const fileHash = req.bytes ? await sha256InSlices(req.bytes) : null;
  const source = await openRecords(req);
  req.onProgress?.('validating', 0, source.upperBound);
  const state: IngestState = {
    report: [...source.issues],
    rejected: new Set(source.issues.filter((i) => i.severity === 'error').map((i) => i.row)),
    seen: new Map(),
    total: 0,
  };
  const streaming = db.backend === 'postgis' && !req.allOrNothing && source.areas.size === 0;
  const validated = validatedChunks(db, req, source, await lookups(db), fileHash, state);
  if (streaming) {
    // Ids for as many rows as the file can hold.
    return {
      source,
      fileHash,
      state,
      chunks: validated,
      refuse: false,
      takeIds: await reservedIds(db, source.upperBound),
    };
  }
  const ready: ScreeningInsert[][] = [];
  for await (const c of validated) ready.push(c);
  const refuse = req.allOrNothing && state.rejected.size > 0;
  const idCount = refuse ? 0 : ready.reduce((n, c) => n + c.length, 0);
  return { source, fileHash, state, chunks: ready, refuse, takeIds: await reservedIds(db, idCount) };
}

/** Stores the chunks in the open transaction; returns how many rows were stored of how many handed over. */
async function storeChunks(tx: Transaction, batchId: number, req: UploadRequest, p: Plan, report: RowIssue[]) {
  const progress = req.onProgress ?? (() => {});
  let stored = 0;
  let handed = 0;
  let n = 0;
  // Each chunk is stored while the next is validated; a failure rejects `pending`, awaited before the next.
  let pending: Promise<number> = Promise.resolve(0);
  for await (const rows of p.chunks) {
    stored += await pending;
    progress('storing', handed, Math.max(p.source.upperBound, p.state.total));
    handed += rows.length;
    const target = { batchId, roundId: req.roundId, first: p.takeIds(rows.length), n: n++ };
    pending = storeChunk(tx, target, rows, report);
    pending.catch(() => {});
  }
  stored += await pending;
  progress('storing', handed, p.state.total);
  return { stored, handed };
}

/** The batch record, before its rows; `storing`: invisible until `finishStored`. */
async function insertBatchRow(tx: Transaction, req: UploadRequest, p: Plan, storing: boolean): Promise<number> {
  const ins = insertBatch({
    idempotencyKey: req.idempotencyKey,
    fileName: req.fileName,
    format: req.format,
    encoding: p.source.encoding,
    crs: req.crs,
    uploadedBy: req.uploadedBy,
    uploadedById: req.uploader?.id ?? null,
    allOrNothing: req.allOrNothing,
    roundId: req.roundId,
    fileSha256: p.fileHash,
    storing,
  });
  return Number((await tx.query<{ id: number }>(ins.text, ins.values)).rows[0]?.id);
}

/** The batch's counts, status and report (which makes a 'storing' batch visible), and its risk notifications. */
async function finishStored(
  tx: Transaction,
  id: number,
  p: Plan,
  { stored, handed }: { stored: number; handed: number },
  storeReport: RowIssue[],
) {
  for (const h of p.source.unknownHeaders) p.state.report.push(rowIssue(1, h, 'warning', 'unknown_column'));
  const report = [...p.state.report, ...storeReport].sort((a, b) => a.row - b.row);
  const counts = {
    total: p.state.total,
    accepted: stored,
    rejected: p.state.rejected.size,
    duplicate: handed - stored,
    status: p.refuse ? ('rejected' as const) : ('stored' as const),
  };
  const fin = finishBatch(id, counts, report.length > MAX_REPORT ? report.slice(0, MAX_REPORT) : report);
  await tx.query(fin.text, fin.values);
  if (!p.refuse) await publishScreeningRisks(tx, id);
}

/** The batch record, its rows (or, refused, only the report of them) and its risk notifications: one transaction. */
async function storeBatch(tx: Transaction, req: UploadRequest, p: Plan): Promise<number> {
  const id = await insertBatchRow(tx, req, p, false);
  const storeReport: RowIssue[] = [];
  let counted = { stored: 0, handed: 0 };
  if (p.refuse) await reportRefused(tx, id, (p.chunks as ScreeningInsert[][]).flat(), storeReport);
  else counted = await storeChunks(tx, id, req, p, storeReport);
  await finishStored(tx, id, p, counted, storeReport);
  return id;
}

/**
 * Rows per commit of a large upload on the embedded database. Its one connection serves every request, and a
 * transaction holds it — and PGlite runs on the event loop's thread, so a commit stalls every request for as long
 * as it runs: 20,000 rows in one took ≈ 1.2 s; in commits of 2,000 (≈ 140 ms each) a light read's p95 was 261 ms,
 * in commits of 500 (≈ 35 ms) 71 ms, the upload as fast (tests/integration/fairness.test.ts).
 */
export const EMBEDDED_COMMIT_ROWS = 500;

/**
 * A large upload on the embedded database, committed in chunks of EMBEDDED_COMMIT_ROWS with the connection given
 * to queued requests between two of them: the batch is 'storing' (its rows invisible: `visible_screenings`) until
 * the last commit makes it 'stored'. A failure on the way removes what was committed; a stopped process leaves a
 * 'storing' batch that the next start removes (`removeUnfinishedUploads`). Nothing half-written is ever seen.
 */
async function storeInCommits(db: Db, req: UploadRequest, p: Plan): Promise<number> {
  const id = await db.transaction((tx) => insertBatchRow(tx, req, p, true));
  try {
    const progress = req.onProgress ?? (() => {});
    const report: RowIssue[] = [];
    const counted = { stored: 0, handed: 0 };
    let n = 0;
    for (const rows of (p.chunks as ScreeningInsert[][]).flatMap((c) => slices(c, EMBEDDED_COMMIT_ROWS))) {
      progress('storing', counted.handed, p.state.total);
      const target = { batchId: id, roundId: req.roundId, first: p.takeIds(rows.length), n: n++ };
      counted.stored += await db.transaction((tx) => storeChunk(tx, target, rows, report), { yieldToReads: true });
      counted.handed += rows.length;
    }
    progress('storing', counted.handed, p.state.total);
    await db.transaction((tx) => finishStored(tx, id, p, counted, report), { yieldToReads: true });
    return id;
  } catch (err) {
    await removeUnfinishedUploads(db, [id]);
    throw err;
  }
}

function slices<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Removes batches left 'storing' (`ids`, or every one: at start) with the rows they had committed. */
export async function removeUnfinishedUploads(db: Db, ids: readonly number[] | null = null): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = deleteUnfinishedScreenings(ids);
    await tx.query(rows.text, rows.values);
    const batches = deleteUnfinishedBatches(ids);
    return (await tx.query(batches.text, batches.values)).rowCount;
  });
}

/** Uploads in progress in this process by idempotency key: a second request with the key waits for the first. */
const inFlight = new WeakMap<Db, Map<string, Promise<unknown>>>();

/**
 * One upload, end to end, all or nothing visible: an interrupted batch leaves no rows behind. On the PostGIS
 * server it is ONE transaction; a partial-mode upload streams: each chunk is stored while the next one is
 * validated (the database works on its own core meanwhile), in a transaction opened before validation. The
 * embedded database has one connection, which a transaction holds, and all-or-nothing must see every row before
 * storing any: there, everything is validated first and then stored — a large upload in several commits behind
 * a 'storing' batch (`storeInCommits`) — or, all-or-nothing with a rejected row, the batch record alone.
 */
export function ingest(db: Db, req: UploadRequest): Promise<{ batch: BatchRow; replayed: boolean }> {
  const key = req.idempotencyKey;
  if (!key) return ingestOnce(db, req);
  // Registered before any await: two requests with one key in this process run one after the other, and the
  // second answers with the first's batch (never a 'storing' one).
  const mine = inFlight.get(db) ?? new Map<string, Promise<unknown>>();
  inFlight.set(db, mine);
  const work = (mine.get(key) ?? Promise.resolve()).catch(() => {}).then(() => ingestOnce(db, req));
  mine.set(key, work);
  return work.finally(() => {
    if (mine.get(key) === work) mine.delete(key);
  });
}

async function ingestOnce(db: Db, req: UploadRequest): Promise<{ batch: BatchRow; replayed: boolean }> {
  if (req.idempotencyKey) {
    const existing = await findBatchByKey(db, req.idempotencyKey);
    // A 'storing' batch here is one whose removal failed after a failed upload: this upload takes its place.
    if (existing?.status === 'storing') await removeUnfinishedUploads(db, [existing.id]);
    else if (existing) return { batch: existing, replayed: true };
  }
  const p = await plan(db, req);
  const inCommits =
    db.backend === 'embedded' &&
    !p.refuse &&
    Array.isArray(p.chunks) &&
    p.chunks.reduce((n, c) => n + c.length, 0) > EMBEDDED_COMMIT_ROWS;
  try {
    const batchId = inCommits ? await storeInCommits(db, req, p) : await db.transaction((tx) => storeBatch(tx, req, p));
    req.onProgress?.('done', 1, 1);
    const q = batchById(batchId);
    return { batch: (await db.query<BatchRow>(q.text, q.values)).rows[0] as BatchRow, replayed: false };
  } catch (err) {
    // Two requests with the same key at once: the second loses the unique race and answers with the first.
    if ((err as { code?: string }).code === '23505' && req.idempotencyKey) {
      const existing = await findBatchByKey(db, req.idempotencyKey);
      if (existing && existing.status !== 'storing') return { batch: existing, replayed: true };
    }
    throw err;
  }
}
