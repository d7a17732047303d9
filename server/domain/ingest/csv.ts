import { parse } from 'csv-parse';
import { mapHeaders, type UploadField } from './fields.js';
import type { RawRecord } from './rows.js';
import { yieldToEventLoop } from './yield.js';

export interface ParsedTable {
  /** Records with their row number as the spreadsheet shows it (the header is row 1). */
  records: { row: number; rec: RawRecord }[];
  unknownHeaders: string[];
}

export class TableError extends Error {
  constructor(
    message: string,
    readonly row?: number,
  ) {
    super(message);
  }
}

const SLICE = 256 * 1024;

/**
 * CSV records as the text arrives: `text` is read piece by piece (see `decodeSlices`), fed to the streaming parser
 * in slices with a turn of the event loop in between, and the records parsed so far are yielded after each slice,
 * so that validation and storing start long before a large file is parsed to its end and the file is never held
 * as one array of rows. The header row is mapped first (`header` is filled in then); the records carry their row
 * numbers as the spreadsheet shows them. Throws `TableError` for an unreadable file (with the line), a header
 * without a known column, or more than `maxRows` records.
 */
export async function* csvRecords(
  text: AsyncIterable<string>,
  maxRows: number,
  header: { unknown: string[] } = { unknown: [] },
): AsyncGenerator<ParsedTable['records']> {
  const parsed: string[][] = [];
  const parser = parse({ relax_column_count: true, skip_empty_lines: false, bom: true, trim: false });
  parser.on('readable', () => {
    let r: string[] | null = parser.read();
    while (r !== null) {
      parsed.push(r);
      r = parser.read();
    }
  });
  let failed: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', (err) => {
      failed = err;
      reject(err);
    });
  });
  // A parse error while slices are still being written must not be an unhandled rejection (that would end the
  // process): it is handled here and rethrown below.
  done.catch(() => {});
  let columns: (UploadField | null)[] | null = null;
  let line = 0;
  let count = 0;
  /** The rows parsed since the last call, as records (the first row read is the header). */
  const take = (): ParsedTable['records'] => {
    const records: ParsedTable['records'] = [];
    for (const cells of parsed.splice(0, parsed.length)) {
      line++;
      if (!columns) {
        const mapped = mapHeaders(cells.map((h) => String(h ?? '')));
        if (!mapped.columns.some((c) => c !== null)) {
          throw new TableError('no known column in the header row (see the template for the column names)', 1);
        }
        columns = mapped.columns;
        header.unknown.push(...mapped.unknown);
        continue;
      }
      const rec = toRecord(columns, cells);
      if (!rec) continue;
      if (++count > maxRows) throw new TableError(`more than ${maxRows} rows (the limit per upload)`);
      records.push({ row: line, rec });
    }
    return records;
  };
  try {
    for await (const piece of text) {
      for (let at = 0; at < piece.length; at += SLICE) {
        if (failed) throw failed;
        parser.write(piece.slice(at, at + SLICE));
        const records = take();
        if (records.length > 0) yield records;
        await yieldToEventLoop();
      }
    }
    parser.end();
    await done;
    const records = take();
    if (!columns) throw new TableError('the file is empty (a header row is required)');
    if (records.length > 0) yield records;
  } catch (err) {
    if (err instanceof TableError) throw err;
    const at = (err as { lines?: number }).lines;
    throw new TableError(`not a readable CSV: ${(err as Error).message}`, at);
  }
}

/** The whole CSV text parsed at once (`csvRecords` gathered): for tests and small files. */
export async function parseCsv(text: string, maxRows: number): Promise<ParsedTable> {
  const header = { unknown: [] as string[] };
  const records: ParsedTable['records'] = [];
  async function* one() {
    yield text;
  }
  for await (const batch of csvRecords(one(), maxRows, header)) records.push(...batch);
  return { records, unknownHeaders: header.unknown };
}

/** A data row's cells as a record by the mapped columns; null for a row whose cells are all empty. */
function toRecord(columns: readonly (UploadField | null)[], cells: readonly unknown[]): RawRecord | null {
  if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) return null;
  const rec: RawRecord = {};
  columns.forEach((field, j) => {
    if (field) rec[field] = cells[j];
  });
  return rec;
}

export function toTable(rows: unknown[][], maxRows: number): ParsedTable {
  const header = rows[0];
  if (!header) throw new TableError('the file is empty (a header row is required)');
  const { columns, unknown } = mapHeaders(header.map((h) => String(h ?? '')));
  if (!columns.some((c) => c !== null)) {
    throw new TableError('no known column in the header row (see the template for the column names)', 1);
  }
  const records: ParsedTable['records'] = [];
  for (let i = 1; i < rows.length; i++) {
    const rec = toRecord(columns, rows[i] as unknown[]);
    if (rec) records.push({ row: i + 1, rec });
  }
  if (records.length > maxRows) throw new TableError(`more than ${maxRows} rows (the limit per upload)`);
  return { records, unknownHeaders: unknown };
}
