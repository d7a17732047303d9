import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/index.js';
import { csvColumns, type Dataset, type ExportFilter, exportCsvRows, exportFeatures } from '../../db/queries/export.js';

export const exportFormats = ['geojson', 'ndjson', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const mediaTypes: Record<ExportFormat, string> = {
  geojson: 'application/geo+json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8; header=present',
};

/** Rows per database round trip: big enough to amortise it, small enough that memory stays flat. */
export const EXPORT_BATCH = 2000;

/**
 * Neutralises spreadsheet formula injection (OWASP "CSV injection"): a text cell that a spreadsheet would read
 * as a formula or a command (= + - @, tab, carriage return) gets a leading apostrophe. Numbers stay numbers.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const csvOptions = {
  record_delimiter: 'windows' as const,
  cast: {
    string: neutraliseFormula,
    boolean: (v: boolean) => (v ? 'true' : 'false'),
    number: (v: number) => String(v),
  },
};

/**
 * Streams an export: the first batch is read before anything is sent (so a database error is still a proper
 * error response), then batch after batch as the client takes them (Readable.from pulls on demand, so a slow
 * client slows the cursor instead of filling memory). A client that disconnects ends the iteration, which
 * closes the cursor.
 */
export async function exportStream(db: Db, ds: Dataset, filter: ExportFilter, format: ExportFormat) {
  const query = format === 'csv' ? exportCsvRows(ds, filter) : exportFeatures(ds, filter);
  const batches = db.stream<Record<string, unknown>>(query, EXPORT_BATCH)[Symbol.asyncIterator]();
  const first = await batches.next();
  const columns = csvColumns(ds);

  function encode(rows: Record<string, unknown>[], index: number): string {
    if (format === 'csv') return stringify(rows, { ...csvOptions, columns });
    const features = rows.map((r) => r.f as string);
    if (format === 'ndjson') return `${features.join('\n')}\n`;
    return (index === 0 ? '\n' : ',\n') + features.join(',\n');
  }

  async function* chunks(): AsyncGenerator<string> {
    try {
      if (format === 'csv') yield `\uFEFF${stringify([columns], { record_delimiter: 'windows' })}`;
      if (format === 'geojson') yield '{"type":"FeatureCollection","features":[';
      let index = 0;
      let next = first;
      while (!next.done) {
        yield encode(next.value, index++);
        next = await batches.next();
      }
      if (format === 'geojson') yield '\n]}\n';
    } finally {
      await batches.return?.();
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
}

export function downloadName(ds: Dataset, format: ExportFormat, now = new Date()): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return `lixian-${ds.name}-${day}.${format}`;
}
