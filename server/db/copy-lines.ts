import pg from 'pg';
import type { Sql } from './types.js';

/**
 * Helpers for streaming a text column with `COPY … TO STDOUT` (see `Db.streamLines` on the PostGIS server):
 * bytes go from the socket to the HTTP response without becoming JavaScript strings, which is what lets an
 * export keep up with `psql`'s own COPY.
 */

/**
 * COPY takes no bind parameters: the values are written into the SQL as literals. Only the kinds of values the
 * query builders bind are accepted (strings, finite numbers, arrays of strings, null); strings are quoted by
 * pg's `escapeLiteral`. The builders use `$n` only as placeholders, never inside their own string literals.
 */
export function inlineParams(q: Sql): string {
  const literal = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error('cannot inline a non-finite number');
      return String(v);
    }
    if (typeof v === 'string') return pg.escapeLiteral(v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      return v.length === 0 ? `'{}'` : `ARRAY[${v.map((x) => pg.escapeLiteral(x as string)).join(', ')}]`;
    }
    throw new Error(`cannot inline a parameter of type ${typeof v}`);
  };
  return q.text.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= q.values.length) throw new Error(`no value for $${n}`);
    return `(${literal(q.values[i])})`;
  });
}

const BACKSLASH = 0x5c;
const unescaped: Record<number, number> = {
  92: 0x5c, // \\
  110: 0x0a, // \n
  114: 0x0d, // \r
  116: 0x09, // \t
  98: 0x08, // \b
  102: 0x0c, // \f
  118: 0x0b, // \v
};

/**
 * Undoes COPY's text-format escaping, chunk by chunk (an escape may straddle two chunks). COPY TO writes only
 * the escapes above; the usual chunk (JSON without backslashes) passes through untouched.
 */
export class CopyTextDecoder {
  private carry = false;

  push(chunk: Buffer): Buffer {
    if (!this.carry && chunk.indexOf(BACKSLASH) === -1) return chunk;
    const out = Buffer.allocUnsafe(chunk.length);
    let o = 0;
    let i = 0;
    if (this.carry && chunk.length > 0) {
      out[o++] = unescaped[chunk[0] as number] ?? (chunk[0] as number);
      i = 1;
      this.carry = false;
    }
    while (i < chunk.length) {
      const b = chunk.indexOf(BACKSLASH, i);
      const end = b === -1 ? chunk.length : b;
      o += chunk.copy(out, o, i, end);
      if (b === -1) break;
      if (b + 1 >= chunk.length) {
        this.carry = true;
        break;
      }
      const next = chunk[b + 1] as number;
      out[o++] = unescaped[next] ?? next;
      i = b + 2;
    }
    return out.subarray(0, o);
  }
}
