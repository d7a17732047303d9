import type { CoordinateSystem } from './coordinates.js';
import { TableError } from './csv.js';
import { type ParsedGeoJson, parseGeoJson } from './geojson.js';
import { readXlsxRows } from './xlsx.js';

/**
 * The parsing that cannot be cut into slices — JSON.parse of a whole GeoJSON document, exceljs loading a whole
 * workbook — as jobs for a worker thread (parse-worker.mjs), so that the server's event loop keeps answering
 * map requests meanwhile. Results and errors travel as plain, structured-clonable data.
 */
export type ParseJob =
  | { kind: 'geojson'; text: string; crs: CoordinateSystem; maxRows: number }
  | { kind: 'xlsx'; bytes: Uint8Array; maxRows: number };

export type ParseJobResult =
  | { ok: true; kind: 'geojson'; value: ParsedGeoJson }
  | { ok: true; kind: 'xlsx'; value: unknown[][] }
  | { ok: false; table: boolean; message: string; row?: number };

export async function runParseJob(job: ParseJob): Promise<ParseJobResult> {
  try {
    if (job.kind === 'geojson') {
      return { ok: true, kind: 'geojson', value: parseGeoJson(job.text, job.crs, job.maxRows) };
    }
    return { ok: true, kind: 'xlsx', value: await readXlsxRows(Buffer.from(job.bytes), job.maxRows) };
  } catch (err) {
    if (err instanceof TableError) return { ok: false, table: true, message: err.message, row: err.row };
    return { ok: false, table: false, message: (err as Error).message };
  }
}
