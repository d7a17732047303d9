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

const NEWLINE = 0x0a;
const COMMA_NEWLINE = Buffer.from(',\n');

/** Turns '\n'-terminated features into ',\n'-separated ones (a GeoJSON array body), chunk by chunk. */
function separateFeatures(chunk: Uint8Array): Buffer {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let count = 0;
  for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) count += 1;
  if (count === 0) return buf;
  const out = Buffer.allocUnsafe(buf.length + count);
  let o = 0;
  let from = 0;
  for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) {
    o += buf.copy(out, o, from, i);
    o += COMMA_NEWLINE.copy(out, o);
    from = i + 1;
  }
  buf.copy(out, o, from);
  return out;
}

/**
 * Streams an export: the first chunk is read before anything is sent (so a database error is still a proper
 * error response), then chunk after chunk as the client takes them (Readable.from pulls on demand, so a slow
 * client slows the database read instead of filling memory). A client that disconnects ends the iteration,
 * which ends the cursor or COPY. GeoJSON and NDJSON travel as bytes straight from the database
 * (`Db.streamLines`); CSV rows are formatted here by csv-stringify.
 */
export async function exportStream(db: Db, ds: Dataset, filter: ExportFilter, format: ExportFormat) {
  const source: AsyncIterator<Uint8Array | string> =
    format === 'csv'
      ? csvChunks(db, ds, filter)
      : db.streamLines(exportFeatures(ds, filter), 'f', EXPORT_BATCH)[Symbol.asyncIterator]();
  const first = await source.next();

  async function* chunks(): AsyncGenerator<Uint8Array | string> {
    try {
      if (format === 'csv') yield `\uFEFF${stringify([csvColumns(ds)], { record_delimiter: 'windows' })}`;
      if (format === 'geojson') yield '{"type":"FeatureCollection","features":[\n';
      // GeoJSON: each feature is followed by ',\n' except the last: the last two bytes wait for the next chunk.
      let held: Buffer | undefined;
      for (let next = first; !next.done; next = await source.next()) {
        if (format !== 'geojson') {
          yield next.value;
          continue;
        }
        const out = separateFeatures(next.value as Uint8Array);
        const joined = held ? Buffer.concat([held, out]) : out;
        if (joined.length <= 2) {
          held = Buffer.from(joined);
          continue;
        }
        held = Buffer.from(joined.subarray(joined.length - 2));
        yield joined.subarray(0, joined.length - 2);
      }
      if (format === 'geojson') yield `${held?.toString() === ',\n' ? '\n' : (held?.toString() ?? '')}]}\n`;
    } finally {
      await source.return?.();
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
}

async function* csvChunks(db: Db, ds: Dataset, filter: ExportFilter): AsyncGenerator<string> {
  const columns = csvColumns(ds);
  for await (const rows of db.stream<Record<string, unknown>>(exportCsvRows(ds, filter), EXPORT_BATCH)) {
    yield stringify(rows, { ...csvOptions, columns });
  }
}

export function downloadName(ds: Dataset, format: ExportFormat, now = new Date()): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return `lixian-${ds.name}-${day}.${format}`;
}
