import { createHash } from 'node:crypto';
import { locateRows, type ScreeningInsert, villageDirectory, villageShapes } from '../../db/queries/uploads.js';
import type { Db } from '../../db/types.js';
import type { ParsedTable } from '../../domain/ingest/csv.js';
import { type CandidateRow, rowIssue, validateRow } from '../../domain/ingest/rows.js';
import { VillageLocator, type VillageShape } from '../../domain/ingest/village-locator.js';
import { VillageDirectory, type VillageEntry } from '../../domain/ingest/villages.js';
import { turnsEvery } from '../../domain/ingest/yield.js';
import { inChunks, type RecordSource } from './source.js';
import type { IngestState, UploadRequest } from './types.js';

/**
 * Rows per chunk: validated together, then stored by one COPY and one INSERT … SELECT while the next chunk is
 * validated. Large enough that the statements' fixed costs vanish, small enough that the first chunk reaches the
 * database early (measured with `npm run bench -- --only ingest`).
 */
const CHUNK = 25_000;

/** The villages an upload is checked against, read before its transaction opens. */
export interface Lookups {
  directory: VillageDirectory;
  locator: VillageLocator;
}

/**
 * The lookups, read once per database: boundaries change only with an import (the demo seed before the app
 * serves, `bench:data`), as the hot spot study areas assume. A phone-form entry then costs no read of every village
 * outline. A failed read is not kept.
 */
const lookupCache = new WeakMap<Db, Promise<Lookups>>();

export function lookups(db: Db): Promise<Lookups> {
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

/** A stable UUID for a row without one: the same file's same row always gets the same id. */
function rowUuid(fileHash: string, row: number): string {
  const h = createHash('sha256').update(`${fileHash}:${row}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Located = { village_code: string | null; invalid_reason: string | null };

/** A chunk's records checked one by one: the valid ones as candidates, each client id once per upload. */
async function candidatesOf(
  records: ParsedTable['records'],
  req: UploadRequest,
  areas: ReadonlyMap<number, string>,
  fileHash: string | null,
  { report, rejected, seen }: IngestState,
): Promise<CandidateRow[]> {
  const ctx = {
    crs: req.crs,
    defaultScreener: req.uploadedBy,
    fallbackClientId: (row: number) => rowUuid(fileHash ?? req.idempotencyKey ?? '', row),
  };
  const candidates: CandidateRow[] = [];
  const turn = turnsEvery();
  for (const { row, rec } of records) {
    await turn();
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
  return candidates;
}

/** The database's village and validity verdict on the screened areas (GeoJSON rows), by row. */
async function locateAreas(db: Db, candidates: readonly CandidateRow[]): Promise<Map<number, Located>> {
  const withArea = candidates.filter((c) => c.area !== null);
  const located = new Map<number, Located>();
  if (withArea.length === 0) return located;
  const q = locateRows(withArea.map((c) => ({ row: c.row, lon: c.lon, lat: c.lat, area: c.area })));
  const { rows } = await db.query<Located & { row: number }>(q.text, q.values);
  for (const r of rows) located.set(r.row, r);
  return located;
}

/** The candidates placed in their village (and the uploader's scope) as rows to store; the others reported. */
async function placed(
  candidates: readonly CandidateRow[],
  located: ReadonlyMap<number, Located>,
  { directory, locator }: Lookups,
  req: UploadRequest,
  { report, rejected }: IngestState,
): Promise<ScreeningInsert[]> {
  const rows: ScreeningInsert[] = [];
  const turn = turnsEvery();
  for (const c of candidates) {
    await turn();
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
  return rows;
}

/**
 * The records validated, converted and located, CHUNK rows at a time as they are parsed (the report and rejected
 * rows gather in `state`). Points are located in memory; rows with a screened area (GeoJSON files) also need the
 * database's verdict on the area's validity, so they go through the database, which locates them as well.
 */
export async function* validatedChunks(
  db: Db,
  req: UploadRequest,
  source: RecordSource,
  places: Lookups,
  fileHash: string | null,
  state: IngestState,
): AsyncGenerator<ScreeningInsert[]> {
  const progress = req.onProgress ?? (() => {});
  for await (const records of inChunks(source.batches, CHUNK)) {
    progress('validating', state.total, Math.max(source.upperBound, state.total));
    state.total += records.length;
    const candidates = await candidatesOf(records, req, source.areas, fileHash, state);
    yield await placed(candidates, await locateAreas(db, candidates), places, req, state);
  }
}
