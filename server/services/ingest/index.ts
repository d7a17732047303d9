import { batchById, batchByKey, finishBatch, insertBatch, type ScreeningInsert } from '../../db/queries/uploads.js';
import type { Db, Queryable, Transaction } from '../../db/types.js';
import { type RowIssue, rowIssue } from '../../domain/ingest/rows.js';
import { publishScreeningRisks } from '../notifications/sources.js';
import { openRecords, type RecordSource, sha256InSlices } from './source.js';
import { reportRefused, reservedIds, storeChunk } from './store.js';
import type { BatchRow, IngestState, UploadRequest } from './types.js';
import { lookups, validatedChunks } from './validate.js';

export type { BatchRow, OutsideReason, Progress, Uploader, UploadFormat, UploadRequest } from './types.js';

/** The stored report keeps this many lines; a file with more problems has a systematic fault the first ones show. */
const MAX_REPORT = 10_000;

export async function findBatchByKey(db: Queryable, key: string): Promise<BatchRow | null> {
  const q = batchByKey(key);
  const { rows } = await db.query<BatchRow>(q.text, q.values);
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

/** The batch record, its rows (or, refused, only the report of them) and its risk notifications. */
async function storeBatch(tx: Transaction, req: UploadRequest, p: Plan): Promise<number> {
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
  });
  const id = Number((await tx.query<{ id: number }>(ins.text, ins.values)).rows[0]?.id);
  const storeReport: RowIssue[] = [];
  let counted = { stored: 0, handed: 0 };
  if (p.refuse) await reportRefused(tx, id, (p.chunks as ScreeningInsert[][]).flat(), storeReport);
  else counted = await storeChunks(tx, id, req, p, storeReport);
  const { stored, handed } = counted;
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
  return id;
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
  const p = await plan(db, req);
  try {
    const batchId = await db.transaction((tx) => storeBatch(tx, req, p));
    req.onProgress?.('done', 1, 1);
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
