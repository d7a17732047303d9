import type { Sql, TempColumn, TempValue } from '../types.js';

/** Every village with its town, for resolving villages named in uploads (a few hundred rows, read once per batch). */
export function villageDirectory(): Sql {
  return {
    text: `SELECT v.code, v.name, v.parent_code AS town_code, t.name AS town_name
           FROM admin_units v JOIN admin_units t ON t.code = v.parent_code
           WHERE v.level = 'village'`,
    values: [],
  };
}

/**
 * Every village's outline as GeoJSON at full double precision (15 decimals round-trips a longitude), for locating
 * points in memory (`VillageLocator`).
 */
export function villageShapes(): Sql {
  return {
    text: `SELECT code, ST_AsGeoJSON(geom, 15)::json AS geometry FROM admin_units WHERE level = 'village' ORDER BY code`,
    values: [],
  };
}

/**
 * The village containing each point (point in polygon, GiST index on admin_units.geom) and, for rows with a
 * screened area, the database's verdict on its validity. One JSON parameter per chunk of rows.
 */
export function locateRows(rows: { row: number; lon: number | null; lat: number | null; area: string | null }[]): Sql {
  return {
    text: `SELECT r.row, v.code AS village_code,
                  CASE WHEN r.area IS NULL THEN NULL
                       WHEN ST_IsValid(ST_GeomFromGeoJSON(r.area)) THEN NULL
                       ELSE ST_IsValidReason(ST_GeomFromGeoJSON(r.area)) END AS invalid_reason
           FROM json_to_recordset($1::json) AS r("row" int, lon float8, lat float8, area text)
           LEFT JOIN LATERAL (
             SELECT code FROM admin_units
             WHERE level = 'village' AND r.lon IS NOT NULL
               AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326))
             ORDER BY code LIMIT 1
           ) v ON true`,
    values: [JSON.stringify(rows)],
  };
}

export interface BatchInsert {
  idempotencyKey: string | null;
  fileName: string | null;
  format: 'form' | 'csv' | 'xlsx' | 'geojson';
  encoding: string | null;
  crs: string;
  uploadedBy: string;
  /** The signed-in uploader's account (null for a token or a script). */
  uploadedById?: number | null;
  allOrNothing: boolean;
  roundId: number | null;
  fileSha256: string | null;
  /** Stored in several commits (embedded database): invisible, as 'storing', until `finishBatch`. */
  storing?: boolean;
}

const BATCH_COLUMNS = `id, idempotency_key, file_name, format, encoding, crs, uploaded_by, uploaded_at, rows_total,
  rows_accepted, rows_rejected, rows_duplicate, status, all_or_nothing, round_id, report`;

export function insertBatch(b: BatchInsert): Sql {
  return {
    text: `INSERT INTO upload_batches (idempotency_key, file_name, format, encoding, crs, uploaded_by, all_or_nothing,
             round_id, file_sha256, uploaded_by_id, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           RETURNING id`,
    values: [
      b.idempotencyKey,
      b.fileName,
      b.format,
      b.encoding,
      b.crs === 'cgcs2000' ? 'cgcs2000' : b.crs,
      b.uploadedBy,
      b.allOrNothing,
      b.roundId,
      b.fileSha256,
      b.uploadedById ?? null,
      b.storing ? 'storing' : 'stored',
    ],
  };
}

export function finishBatch(
  id: number,
  counts: { total: number; accepted: number; rejected: number; duplicate: number; status: 'stored' | 'rejected' },
  report: unknown[],
): Sql {
  return {
    text: `UPDATE upload_batches SET rows_total = $2, rows_accepted = $3, rows_rejected = $4, rows_duplicate = $5,
             status = $6, report = $7::jsonb
           WHERE id = $1`,
    values: [
      id,
      counts.total,
      counts.accepted,
      counts.rejected,
      counts.duplicate,
      counts.status,
      JSON.stringify(report),
    ],
  };
}

/** A batch once stored or refused (one still 'storing' is not there yet). */
export function batchById(id: number): Sql {
  return { text: `SELECT ${BATCH_COLUMNS} FROM upload_batches WHERE id = $1 AND status <> 'storing'`, values: [id] };
}

/** The rows of batches that never finished storing (`ids` null: every such batch), then the batches. */
export function deleteUnfinishedScreenings(ids: readonly number[] | null): Sql {
  return {
    text: `DELETE FROM screenings
           WHERE batch_id IN (SELECT id FROM upload_batches
                              WHERE status = 'storing' AND ($1::bigint[] IS NULL OR id = ANY ($1::bigint[])))`,
    values: [ids],
  };
}

export function deleteUnfinishedBatches(ids: readonly number[] | null): Sql {
  return {
    text: `DELETE FROM upload_batches
           WHERE status = 'storing' AND ($1::bigint[] IS NULL OR id = ANY ($1::bigint[]))`,
    values: [ids],
  };
}

export function batchByKey(key: string): Sql {
  return { text: `SELECT ${BATCH_COLUMNS} FROM upload_batches WHERE idempotency_key = $1`, values: [key] };
}

export interface ScreeningInsert {
  row: number;
  client_id: string;
  village_code: string;
  town_code: string;
  screened_on: string;
  screener: string;
  lon: number | null;
  lat: number | null;
  zero_report: boolean;
  location_mismatch: boolean;
  area: string | null;
  items: { category: string; risk_level: string; note: string }[];
}

/** The temporary tables a batch's screenings and items are loaded into (`Transaction.loadTemp`). */
export const SCREENING_TEMP = 'upload_screenings';
export const ITEM_TEMP = 'upload_items';

/** A temporary table's name as given to `loadTemp`, checked before it goes into SQL text. */
function tempName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid temporary table name ${name}`);
  return `"${name}"`;
}

/**
 * Screening ids for `n` rows in ONE step, for the bulk path: the sequence's increment is set to `n` for a single
 * `nextval` and set back, in a short transaction of its own (its lock on the sequence lasts milliseconds, never
 * the upload's transaction). The ids are the `n` values up to the one returned. The other inserts keep using the
 * sequence as their default; an id reserved by an upload that then rolls back is a gap, as after any rollback.
 * (`reserveScreeningIds` costs one nextval per row, which at 25,000 rows per chunk was a tenth of the chunk's
 * time; this is three statements whatever `n`.)
 */
export const SCREENING_SEQUENCE = 'screenings_id_seq';
export function sequenceIncrement(n: number): Sql {
  if (!Number.isInteger(n) || n < 1) throw new Error(`cannot reserve ${n} ids`);
  return { text: `ALTER SEQUENCE ${SCREENING_SEQUENCE} INCREMENT BY ${n}`, values: [] };
}
export function nextScreeningId(): Sql {
  return { text: `SELECT nextval('${SCREENING_SEQUENCE}')::text AS last`, values: [] };
}

/** What both ways of storing a screening carry first: its reserved id and the validated fields. */
const screeningFields: readonly TempColumn[] = [
  { name: 'id', type: 'bigint' },
  { name: 'client_id', type: 'uuid' },
  { name: 'village_code', type: 'text' },
  { name: 'town_code', type: 'text' },
  { name: 'screened_on', type: 'date' },
  { name: 'screener', type: 'text' },
];

/** The columns the bulk path COPYs straight into `screenings` (geometry as EWKT, batch and round on every row). */
export const screeningCopyColumns: readonly TempColumn[] = [
  ...screeningFields,
  { name: 'geom', type: 'geometry' },
  { name: 'zero_report', type: 'boolean' },
  { name: 'location_mismatch', type: 'boolean' },
  { name: 'batch_id', type: 'bigint' },
  { name: 'round_id', type: 'bigint' },
];

/** One screening without a screened area as a row of `screeningCopyColumns`. */
export function screeningCopyRow(r: ScreeningInsert, id: number, batchId: number, roundId: number | null): TempValue[] {
  if (r.area !== null) throw new Error('a screened area goes through the temporary table (its validity is checked)');
  return [
    id,
    r.client_id,
    r.village_code,
    r.town_code,
    r.screened_on,
    r.screener,
    r.lon === null ? null : `SRID=4326;POINT(${r.lon} ${r.lat})`,
    r.zero_report,
    r.location_mismatch,
    batchId,
    roundId,
  ];
}

export const screeningTempColumns: readonly TempColumn[] = [
  { name: 'row', type: 'int' },
  ...screeningFields,
  { name: 'lon', type: 'float8' },
  { name: 'lat', type: 'float8' },
  { name: 'zero_report', type: 'boolean' },
  { name: 'location_mismatch', type: 'boolean' },
  { name: 'area', type: 'text' },
];

/** The columns of a risk item, for the temporary table and for the COPY into `screening_items` (its id is the default). */
export const itemColumns: readonly TempColumn[] = [
  { name: 'screening_id', type: 'bigint' },
  { name: 'category', type: 'text' },
  { name: 'risk_level', type: 'text' },
  { name: 'note', type: 'text' },
];

/** One screening, with its reserved id, as a row of `screeningTempColumns`. */
export function screeningTempRow(r: ScreeningInsert, id: number | null): TempValue[] {
  return [
    r.row,
    id,
    r.client_id,
    r.village_code,
    r.town_code,
    r.screened_on,
    r.screener,
    r.lon,
    r.lat,
    r.zero_report,
    r.location_mismatch,
    r.area,
  ];
}

/**
 * Stores the screenings loaded into `SCREENING_TEMP` with their reserved ids, in one statement (points and
 * GeoJSON areas become geometries here, in the database). A client id already stored (a re-sent row) is skipped,
 * not duplicated: the row count is the number stored.
 */
export function insertScreeningsFromTemp(batchId: number, roundId: number | null, temp = SCREENING_TEMP): Sql {
  return {
    text: `INSERT INTO screenings (id, client_id, village_code, town_code, screened_on, screener, geom, zero_report,
                                   location_mismatch, area, batch_id, round_id)
           SELECT id, client_id, village_code, town_code, screened_on, screener,
                  CASE WHEN lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END,
                  zero_report, location_mismatch,
                  CASE WHEN area IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(area), 4326) END,
                  $1::bigint, $2::bigint
           FROM ${tempName(temp)}
           ON CONFLICT (client_id) DO NOTHING`,
    values: [batchId, roundId],
  };
}

/**
 * Stores the items loaded into `ITEM_TEMP`. When some screenings were skipped (re-sent rows), only the items of
 * the screenings this batch stored: their reserved ids exist, the skipped ones' never will.
 */
export function insertItemsFromTemp(allStored: boolean, temp = ITEM_TEMP): Sql {
  return {
    text: `INSERT INTO screening_items (screening_id, category, risk_level, note)
           SELECT screening_id, category, risk_level, note FROM ${tempName(temp)} i
           ${allStored ? '' : 'WHERE EXISTS (SELECT 1 FROM screenings s WHERE s.id = i.screening_id)'}`,
    values: [],
  };
}

/**
 * The rows loaded into `SCREENING_TEMP` whose client id was stored by another batch than `batchId`, and by which.
 * The LATERAL … LIMIT 1 (client ids are unique) keeps it one index probe per row: a plain join would hash the
 * whole screenings table, which only grows.
 */
export function storedClientIdsOfTemp(batchId: number, temp = SCREENING_TEMP): Sql {
  return {
    text: `SELECT t."row", s.batch_id FROM ${tempName(temp)} t
           CROSS JOIN LATERAL (SELECT batch_id FROM screenings WHERE client_id = t.client_id LIMIT 1) s
           WHERE s.batch_id IS DISTINCT FROM $1`,
    values: [batchId],
  };
}

export function roundExists(id: number): Sql {
  return { text: 'SELECT 1 FROM screening_rounds WHERE id = $1', values: [id] };
}

/** The first village of the county, whose code and name fill the upload templates' example row. */
export function templateVillage(): Sql {
  return {
    text: `SELECT v.code, v.name, t.name AS town_name, ST_X(v.label_point) AS lon, ST_Y(v.label_point) AS lat
           FROM admin_units v JOIN admin_units t ON t.code = v.parent_code
           WHERE v.level = 'village' ORDER BY v.code LIMIT 1`,
    values: [],
  };
}

/** Writes an upload's progress (and forgets rows an hour old): another instance answers the poll from it. */
export function writeProgress(key: string, stage: string, done: number, total: number): Sql {
  return {
    text: `WITH gone AS (DELETE FROM upload_progress WHERE updated_at < now() - interval '1 hour')
           INSERT INTO upload_progress (key, stage, done, total, updated_at) VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (key) DO UPDATE SET stage = $2, done = $3, total = $4, updated_at = now()`,
    values: [key, stage, done, total],
  };
}

export function readProgress(key: string): Sql {
  return {
    text: `SELECT stage, done, total FROM upload_progress WHERE key = $1 AND updated_at > now() - interval '1 hour'`,
    values: [key],
  };
}
