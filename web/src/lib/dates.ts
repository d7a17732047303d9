/**
 * Dates as people type them (zh-CN first): 2023-05-17, 2023/5/17, 2023.5.17, 2023年5月17日, 20230517. The
 * browser's own date input formats by the operating system's locale (mm/dd/yyyy on an English system even when
 * the app is in Chinese) and no attribute changes that, so the app's date fields are text fields that read these
 * forms and write the calendar day ISO-style (YYYY-MM-DD), with the browser's picker one click away.
 */

const PATTERNS = [
  /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$/,
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/** The ISO day a typed text names, or null when it names none (or a day the calendar does not have). */
export function parseDay(text: string): string | null {
  const s = text.normalize('NFKC').trim();
  for (const p of PATTERNS) {
    const m = p.exec(s);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    // A day the month does not have rolls over into the next month.
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1) return null;
    return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return null;
}
