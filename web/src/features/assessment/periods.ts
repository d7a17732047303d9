/** The periods offered in the pickers: the last 12 months, 4 quarters and 8 weeks before the data's "now". */
const pad = (n: number) => String(n).padStart(2, '0');

export function recentMonths(asOf: string, n = 12): string[] {
  let [y, m] = [Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7))];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`${y}-${pad(m)}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

export function recentQuarters(asOf: string, n = 4): string[] {
  let [y, q] = [Number(asOf.slice(0, 4)), Math.ceil(Number(asOf.slice(5, 7)) / 3)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`${y}-Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
  }
  return out;
}

/** The month before the one holding `asOf`: the last complete month, the default period. */
export const lastCompleteMonth = (asOf: string) => recentMonths(asOf, 2)[1] as string;

export const PERIOD_PATTERN = /^(\d{4}-(0[1-9]|1[0-2])|\d{4}-Q[1-4]|\d{4}-W(0[1-9]|[1-4]\d|5[0-3])|\d{4})$/;
