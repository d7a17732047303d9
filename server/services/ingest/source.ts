import { createHash } from 'node:crypto';
import { csvRecords, type ParsedTable, TableError, toTable } from '../../domain/ingest/csv.js';
import { DecodeError, decodeSlices, decodeTextInSlices, detectEncoding } from '../../domain/ingest/encoding.js';
import { parseOffThread } from '../../domain/ingest/parse-off-thread.js';
import type { RowIssue } from '../../domain/ingest/rows.js';
import { yieldToEventLoop } from '../../domain/ingest/yield.js';
import { InvalidInput } from '../errors.js';
import type { UploadRequest } from './types.js';

/** An upload's records as they are parsed, with what parsing learnt about the file. */
export interface RecordSource {
  batches: AsyncIterable<ParsedTable['records']>;
  encoding: string | null;
  /** Screened areas (GeoJSON) by row. */
  areas: Map<number, string>;
  issues: RowIssue[];
  /** Header names no field matches; filled in once the header is read. */
  unknownHeaders: string[];
  /** At least as many as the records (the ids reserved for a streamed file). */
  upperBound: number;
}

/** A file the parser cannot read: a 400 whose message names the file (and the row where the parser knows it). */
export class UnreadableFile extends InvalidInput {
  constructor(field: string, message: string) {
    super(field, message);
    this.message = field === 'file' ? `file: ${message}` : `file ${field}: ${message}`;
  }
}

/** The file's SHA-256, hashed a few megabytes at a time with a turn of the event loop in between. */
export async function sha256InSlices(bytes: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.length; at += 8 * 1024 * 1024) {
    hash.update(bytes.subarray(at, at + 8 * 1024 * 1024));
    await yieldToEventLoop();
  }
  return hash.digest('hex');
}

function parseError(err: unknown): unknown {
  if (err instanceof TableError) return new UnreadableFile(err.row ? `row ${err.row}` : 'file', err.message);
  if (err instanceof DecodeError) return new UnreadableFile('file', err.message);
  return err;
}

async function* mapParseErrors<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw parseError(err);
  }
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/** Lines in the file (newline bytes + 1): no CSV has more records. */
function countLines(bytes: Buffer): number {
  let n = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

function whole(
  table: ParsedTable,
  encoding: string | null,
  areas = new Map<number, string>(),
  issues: RowIssue[] = [],
): RecordSource {
  return {
    batches: once(table.records),
    encoding,
    areas,
    issues,
    unknownHeaders: table.unknownHeaders,
    upperBound: table.records.length,
  };
}

/** Whole-document formats (exceljs, JSON.parse), parsed on a worker thread; null for a CSV. */
async function openDocument(req: UploadRequest, bytes: Buffer, parsing: () => void): Promise<RecordSource | null> {
  try {
    if (req.format === 'xlsx') {
      parsing();
      const rows = await parseOffThread({ kind: 'xlsx', bytes, maxRows: req.maxRows });
      return whole(toTable(rows, req.maxRows), null);
    }
    if (req.format === 'geojson') {
      const { text, encoding } = await decodeTextInSlices(bytes, yieldToEventLoop);
      parsing();
      const g = await parseOffThread({ kind: 'geojson', text, crs: req.crs, maxRows: req.maxRows });
      return whole(g, encoding, g.areas, g.issues);
    }
  } catch (err) {
    throw parseError(err);
  }
  return null;
}

/**
 * The records of an upload. A CSV streams: decoded a megabyte at a time and parsed as it decodes, so the first
 * chunk is validated and stored while the rest is still being read. Whole-document formats come as one batch.
 */
export async function openRecords(req: UploadRequest): Promise<RecordSource> {
  if (req.records) return whole({ records: req.records, unknownHeaders: [] }, null);
  const bytes = req.bytes as Buffer;
  const parsing = () => req.onProgress?.('parsing', 1, 2);
  const document = await openDocument(req, bytes, parsing);
  if (document) return document;
  parsing();
  const encoding = detectEncoding(bytes);
  const header = { unknown: [] as string[] };
  return {
    batches: mapParseErrors(csvRecords(decodeSlices(bytes, encoding, yieldToEventLoop), req.maxRows, header)),
    encoding,
    areas: new Map(),
    issues: [],
    unknownHeaders: header.unknown,
    upperBound: Math.min(countLines(bytes), req.maxRows),
  };
}

/** `batches` regrouped into arrays of `size` items (the last one shorter). */
export async function* inChunks<T>(batches: AsyncIterable<T[]>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const batch of batches) {
    for (const item of batch) {
      chunk.push(item);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}
