/** Number formatting shared by panels, popups and tables. Pure: locale in, string out. */

const countFormats = new Map<string, Intl.NumberFormat>();
const percentFormats = new Map<string, Intl.NumberFormat>();

function cached(cache: Map<string, Intl.NumberFormat>, locale: string, options: Intl.NumberFormatOptions) {
  let format = cache.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(locale, format);
  }
  return format;
}

/** Placeholder for a figure that has no value (e.g. a rate over zero cases). */
export const NO_VALUE = '—';

/** A count with thousands separators: 27013 → "27,013" in both zh-CN and en. */
export function formatCount(value: number | null | undefined, locale: string): string {
  if (value == null || !Number.isFinite(value)) return NO_VALUE;
  return cached(countFormats, locale, { maximumFractionDigits: 0, useGrouping: true }).format(value);
}

/**
 * A ratio (0..1) as a percentage with exactly one decimal: 0.96302 → "96.3%". Rounded half away from zero on
 * the per-mille value first, so the figure matches what people compute by hand (26,014 ÷ 27,013 = 96.30 %).
 */
export function formatPercent(ratio: number | null | undefined, locale: string): string {
  if (ratio == null || !Number.isFinite(ratio)) return NO_VALUE;
  const perMille = Math.round(ratio * 1000);
  return cached(percentFormats, locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(perMille / 1000);
}

/** An ISO timestamp or date as YYYY-MM-DD (the calendar date in China Standard Time for timestamps). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return NO_VALUE;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  // China does not observe daylight saving: UTC+8 all year.
  return new Date(time + 8 * 3600_000).toISOString().slice(0, 10);
}

/** resolved ÷ found, or null when nothing was found (a rate over zero cases is not 0 %). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}
