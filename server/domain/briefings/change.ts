/**
 * Changes against the previous period (环比) and the same period last year (同比), as printed: counts as a
 * signed difference with its relative change, rates as signed percentage points. An arrow says the direction.
 */
export interface Change {
  /** Signed difference: cases, or percentage points for rates. */
  diff: number | null;
  /** Relative change of a count (0.12 = +12 %); null for rates and from 0. */
  relative: number | null;
  arrow: '↑' | '↓' | '→' | '';
}

const arrowOf = (d: number | null): Change['arrow'] => (d === null ? '' : d > 0 ? '↑' : d < 0 ? '↓' : '→');

export function countChange(now: number, before: number): Change {
  const diff = now - before;
  return { diff, relative: before > 0 ? diff / before : null, arrow: arrowOf(diff) };
}

export function rateChange(now: number | null, before: number | null): Change {
  if (now === null || before === null) return { diff: null, relative: null, arrow: '' };
  // Points rounded to one decimal, so that the arrow agrees with the printed difference.
  const diff = Math.round((now - before) * 1000) / 10;
  return { diff, relative: null, arrow: arrowOf(diff) };
}

const signed = (x: number, digits: number) => `${x > 0 ? '+' : x < 0 ? '-' : '±'}${Math.abs(x).toFixed(digits)}`;

export function formatChange(c: Change, kind: 'count' | 'rate', lang: 'zh-CN' | 'en'): string {
  if (c.diff === null) return '—';
  if (kind === 'rate') return `${c.arrow}${signed(c.diff, 1)}${lang === 'en' ? ' pts' : '个百分点'}`;
  const rel = c.relative === null ? '' : `（${signed(c.relative * 100, 1)}%）`;
  return `${c.arrow}${signed(c.diff, 0)}${lang === 'en' ? rel.replace('（', ' (').replace('）', ')') : rel}`;
}

export const percent = (x: number | null, digits = 1) => (x === null ? '—' : `${(x * 100).toFixed(digits)}%`);
