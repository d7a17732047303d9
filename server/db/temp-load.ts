import type { TempColumn, TempValue } from './types.js';

/**
 * What both backends share for `Transaction.loadTemp`: the temporary table's DDL, the COPY text encoding (PostGIS
 * server) and the JSON chunk insert (embedded database).
 */

const IDENT = /^[a-z_][a-z0-9_]*$/;

function checkIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`invalid identifier ${name}`);
  return `"${name}"`;
}

/** `CREATE TEMP TABLE … ON COMMIT DROP`: the table lives only as long as the transaction, rolled back or not. */
export function createTempTable(table: string, columns: readonly TempColumn[]): string {
  if (columns.length === 0) throw new Error('a temporary table needs columns');
  const cols = columns.map((c) => `${checkIdent(c.name)} ${c.type}`).join(', ');
  return `CREATE TEMP TABLE ${checkIdent(table)} (${cols}) ON COMMIT DROP`;
}

export function copyFromStdin(table: string, columns: readonly TempColumn[]): string {
  return `COPY ${checkIdent(table)} (${columns.map((c) => checkIdent(c.name)).join(', ')}) FROM STDIN`;
}

const SPECIAL = /[\\\n\r\t]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY's text format: `\N` for null, backslash escapes for the four characters that need them. */
function copyValue(v: TempValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('cannot COPY a non-finite number');
    return String(v);
  }
  return v.replace(SPECIAL, (c) => escapes[c] as string);
}

/** Rows as COPY text, about `linesPerChunk` lines per string (few, large writes to the socket). */
export function* copyText(
  rows: Iterable<readonly TempValue[]>,
  width: number,
  linesPerChunk = 2000,
): Generator<string> {
  let lines: string[] = [];
  for (const row of rows) {
    if (row.length !== width) throw new Error(`a row has ${row.length} values for ${width} columns`);
    lines.push(row.map(copyValue).join('\t'));
    if (lines.length >= linesPerChunk) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

/**
 * Rows in chunks of `size` as `INSERT … SELECT FROM json_to_recordset($1)`, one JSON parameter each (the embedded
 * database's path). A json column travels as text and is cast back, so that JSON text is stored as given.
 */
export function* jsonChunks(
  table: string,
  columns: readonly TempColumn[],
  rows: Iterable<readonly TempValue[]>,
  size = 5000,
): Generator<{ text: string; values: unknown[] }> {
  const names = columns.map((c) => checkIdent(c.name));
  const text = `INSERT INTO ${checkIdent(table)} (${names.join(', ')})
    SELECT ${columns.map((c, i) => `r.${names[i]}::${c.type}`).join(', ')}
    FROM json_to_recordset($1::json) AS r(${columns.map((c, i) => `${names[i]} ${c.type === 'json' || c.type === 'geometry' ? 'text' : c.type}`).join(', ')})`;
  let chunk: Record<string, TempValue>[] = [];
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`a row has ${row.length} values for ${columns.length} columns`);
    const o: Record<string, TempValue> = {};
    for (const [i, c] of columns.entries()) o[c.name] = row[i] as TempValue;
    chunk.push(o);
    if (chunk.length >= size) {
      yield { text, values: [JSON.stringify(chunk)] };
      chunk = [];
    }
  }
  if (chunk.length > 0) yield { text, values: [JSON.stringify(chunk)] };
}
