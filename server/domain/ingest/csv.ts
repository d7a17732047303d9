import { parse } from 'csv-parse';
import { mapHeaders } from './fields.js';
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

/** Parses decoded CSV text with the streaming parser, fed in slices so that a large file yields to other work. */
export async function parseCsv(text: string, maxRows: number): Promise<ParsedTable> {
  const rows: string[][] = [];
  const parser = parse({ relax_column_count: true, skip_empty_lines: false, bom: true, trim: false });
  parser.on('readable', () => {
    let r: string[] | null = parser.read();
    while (r !== null) {
      rows.push(r);
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
  try {
    for (let at = 0; at < text.length; at += SLICE) {
      if (failed) throw failed;
      parser.write(text.slice(at, at + SLICE));
      if (rows.length > maxRows + 1) throw new TableError(`more than ${maxRows} rows (the limit per upload)`);
      await yieldToEventLoop();
    }
    parser.end();
    await done;
  } catch (err) {
    if (err instanceof TableError) throw err;
    const line = (err as { lines?: number }).lines;
    throw new TableError(`not a readable CSV: ${(err as Error).message}`, line);
  }
  return toTable(rows, maxRows);
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
    const cells = rows[i] as unknown[];
    if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) continue;
    const rec: RawRecord = {};
    columns.forEach((field, j) => {
      if (field) rec[field] = cells[j];
    });
    records.push({ row: i + 1, rec });
  }
  if (records.length > maxRows) throw new TableError(`more than ${maxRows} rows (the limit per upload)`);
  return { records, unknownHeaders: unknown };
}
