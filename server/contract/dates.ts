/**
 * A calendar day as people in the county write it — 2023-05-17, 2023/5/17, 2023.5.17, 2023年5月17日, 20230517, also
 * in full-width digits — as ISO `YYYY-MM-DD`, or null when the text names no day (or one the calendar lacks, or
 * one outside 1900–2100). Shared by the uploads (spreadsheet cells, `withTime`: a time after the day is ignored)
 * and the web's date fields (which the browser would otherwise format by the operating system's locale).
 */
export function parseWrittenDay(text: string, opts: { withTime?: boolean } = {}): string | null {
  const s = text.normalize('NFKC').trim();
  const day = opts.withTime ? WRITTEN_WITH_TIME.exec(s) : WRITTEN.exec(s);
  if (day) return isoDay(Number(day[1]), Number(day[2]), Number(day[3]));
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return compact ? isoDay(Number(compact[1]), Number(compact[2]), Number(compact[3])) : null;
}

const WRITTEN = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const WRITTEN_WITH_TIME = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/;

/** The ISO day of year, month and day, or null when the calendar has no such day (or it is outside 1900–2100). */
export function isoDay(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
