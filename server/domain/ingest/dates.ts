import { isoDay, parseWrittenDay } from '../../contract/dates.js';

/**
 * Dates as Chinese spreadsheets hold them: a written day (server/contract/dates.ts, a time after it ignored), an
 * Excel serial day number (1900 date system), or a Date object from an XLSX cell. Returns ISO `YYYY-MM-DD` or null.
 */
export function parseChineseDate(value: unknown): string | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    // exceljs gives dates as UTC midnight of the calendar day shown in the cell.
    return isoDay(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number') return fromExcelSerial(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '') return null;
  const written = parseWrittenDay(s, { withTime: true });
  if (written) return written;
  if (/^\d{4,5}(\.\d+)?$/.test(s)) return fromExcelSerial(Number(s));
  return null;
}

/** Excel's day 1 is 1900-01-01 and it counts the non-existent 1900-02-29, so serials ≥ 61 are one day ahead. */
function fromExcelSerial(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  const day = Math.floor(serial);
  const ms = Date.UTC(1899, 11, 31) + (day >= 61 ? day - 1 : day) * 86_400_000;
  const d = new Date(ms);
  return isoDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
