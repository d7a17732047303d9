/** Local date-time formatting for the admin tables (the browser's time zone, the page's language). */
const formats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(iso: string | null | undefined, locale: string, fallback = '—'): string {
  if (!iso) return fallback;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    formats.set(locale, format);
  }
  return format.format(time);
}
