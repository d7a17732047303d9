/**
 * Text PostgreSQL cannot store: a NUL character (text and jsonb refuse U+0000) and a lone UTF-16 surrogate (not
 * Unicode; drivers would silently turn it into U+FFFD). Checked once for every string the API accepts
 * (server/plugins/input.ts) and for every cell of an upload (ingest/rows.ts), so neither reaches a statement.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextFault = 'nul' | 'lone_surrogate';

export function textFault(s: string): TextFault | null {
  if (s.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(s)) return 'lone_surrogate';
  return null;
}

export const textFaultMessage: Record<TextFault, string> = {
  nul: 'contains a NUL character (\\u0000), which is not accepted',
  lone_surrogate: 'contains a lone UTF-16 surrogate (not valid Unicode), which is not accepted',
};

/** The string made printable for a report: NUL as ␀, a lone surrogate as U+FFFD. */
export function printable(s: string): string {
  return s.replaceAll('\u0000', '\u2400').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}
