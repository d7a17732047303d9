import type { Queryable } from '../../db/types.js';
import type { Period } from '../../domain/assessment/period.js';
import type { BriefingLang } from '../../domain/briefings/labels.js';
import { briefingData } from './data.js';
import { briefingPdf } from './pdf.js';
import { briefingXlsx } from './xlsx.js';

/** A briefing (专报) of a county or town for a period, as PDF or XLSX (the same tables). */
export type BriefingFormat = 'pdf' | 'xlsx';

export const briefingFileName = (scope: string, period: Period, format: BriefingFormat) =>
  `briefing-${scope}-${period.key.replace('..', '_')}.${format}`;

/** "2023-05-17 08:00" in China time: when the document was made. */
export function madeAt(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export async function makeBriefing(
  db: Queryable,
  opts: { period: Period; scope?: string; lang: BriefingLang; format: BriefingFormat; now?: Date },
): Promise<{ body: Buffer; scope: string; found: number; resolved: number }> {
  const data = await briefingData(db, opts);
  const made = madeAt(opts.now ?? new Date());
  const body = opts.format === 'pdf' ? await briefingPdf(data, made) : await briefingXlsx(data);
  return { body, scope: data.scope.code, found: data.kpis.current.found, resolved: data.kpis.current.resolved };
}
