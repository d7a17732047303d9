import {
  ITEM_TEMP,
  insertItemsFromTemp,
  insertScreeningsFromTemp,
  itemColumns,
  nextScreeningId,
  SCREENING_TEMP,
  type ScreeningInsert,
  screeningCopyColumns,
  screeningCopyRow,
  screeningTempColumns,
  screeningTempRow,
  sequenceIncrement,
  storedClientIdsOfTemp,
} from '../../db/queries/uploads.js';
import type { Db, TempValue, Transaction } from '../../db/types.js';
import { type RowIssue, rowIssue } from '../../domain/ingest/rows.js';

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

/** `count` reserved screening ids, handed out in order; taking more than were reserved is a bug and throws. */
export async function reservedIds(db: Db, count: number): Promise<(n: number) => number> {
  let next = await reserveIds(db, count);
  const end = next + count;
  return (n) => {
    if (next + n > end) throw new Error(`${n} rows to store with ${end - next} screening ids reserved`);
    const first = next;
    next += n;
    return first;
  };
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

/** Where a chunk goes: its batch, its round, the first of its reserved ids and its number in the upload. */
export interface ChunkTarget {
  batchId: number;
  roundId: number | null;
  first: number;
  n: number;
}

/**
 * Stores one chunk in the open transaction; its rows take the ids `first`, `first + 1`, … (reserved). The rows
 * are COPYed straight into `screenings` and their items into `screening_items`, inside a savepoint. If a client
 * id is already stored (a re-sent file or phone entry: the unique violation ends the COPY), the chunk goes back to
 * the savepoint and takes the slower way (`storeChunkSkippingStored`). Screened areas (GeoJSON) always take that
 * way: the database turns their GeoJSON into geometries. Returns how many rows were stored.
 */
export async function storeChunk(
  tx: Transaction,
  target: ChunkTarget,
  rows: readonly ScreeningInsert[],
  report: RowIssue[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const { batchId, roundId, first, n } = target;
  if (rows.every((r) => r.area === null)) {
    try {
      return await tx.savepoint(`upload_chunk_${n}`, async () => {
        await tx.copyRows('screenings', screeningCopyColumns, screeningCopyRows(rows, first, batchId, roundId));
        if (rows.some((r) => r.items.length > 0))
          await tx.copyRows('screening_items', itemColumns, itemRows(rows, first));
        return rows.length;
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
    }
  }
  return storeChunkSkippingStored(tx, target, rows, report);
}

/**
 * COPY into a temporary table of its own (`upload_screenings_<n>`), one INSERT … SELECT that skips the stored
 * client ids (reported), then the items of the rows stored.
 */
async function storeChunkSkippingStored(
  tx: Transaction,
  { batchId, roundId, first, n }: ChunkTarget,
  rows: readonly ScreeningInsert[],
  report: RowIssue[],
): Promise<number> {
  const temp = `${SCREENING_TEMP}_${n}`;
  await tx.loadTemp(
    temp,
    screeningTempColumns,
    rows.map((r, i) => screeningTempRow(r, first + i)),
  );
  const q = insertScreeningsFromTemp(batchId, roundId, temp);
  const stored = (await tx.query(q.text, q.values)).rowCount;
  if (rows.some((r) => r.items.length > 0)) {
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

/** A refused batch stores nothing; its report still says which rows an earlier batch already holds. */
export async function reportRefused(
  tx: Transaction,
  batchId: number,
  rows: readonly ScreeningInsert[],
  report: RowIssue[],
): Promise<void> {
  if (rows.length === 0) return;
  const temp = `${SCREENING_TEMP}_0`;
  await tx.loadTemp(
    temp,
    screeningTempColumns,
    rows.map((r) => screeningTempRow(r, null)),
  );
  await reportStoredBefore(tx, batchId, temp, report);
}
