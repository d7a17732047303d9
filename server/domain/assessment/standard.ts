import { type IndicatorKey, indicatorKeys } from './indicators.js';

/**
 * An assessment standard (考核标准): which indicators count, their weights (summing to 100) and the linear scale
 * of each: full points at `target`, none at `floor`, a straight line between (and clamped outside). For an
 * indicator where lower is better the target is simply below the floor. Standards are versioned: a period is
 * scored by the version in force on its first day (the latest `validFrom` on or before it).
 */
export interface StandardIndicator {
  key: IndicatorKey;
  weight: number;
  target: number;
  floor: number;
}

export interface StandardInput {
  /** First day (YYYY-MM-DD, China time) the standard applies to. */
  validFrom: string;
  /** Units with fewer cases found in the period are listed but not ranked. */
  minCases: number;
  indicators: StandardIndicator[];
}

export interface Standard extends StandardInput {
  version: number;
}

export interface StandardProblem {
  field: string;
  message: string;
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** The first problem of a proposed standard, naming the field (indicators.2.weight), or null when it is sound. */
export function standardProblem(s: StandardInput): StandardProblem | null {
  if (!Number.isInteger(s.minCases) || s.minCases < 0 || s.minCases > 100_000) {
    return { field: 'minCases', message: 'must be a whole number from 0 to 100000' };
  }
  if (s.indicators.length === 0) return { field: 'indicators', message: 'must name at least one indicator' };
  const seen = new Set<string>();
  for (const [i, ind] of s.indicators.entries()) {
    if (!(indicatorKeys as readonly string[]).includes(ind.key)) {
      return { field: `indicators.${i}.key`, message: `must be one of: ${indicatorKeys.join(', ')}` };
    }
    if (seen.has(ind.key)) return { field: `indicators.${i}.key`, message: `${ind.key} is listed twice` };
    seen.add(ind.key);
    if (!Number.isFinite(ind.weight) || ind.weight <= 0 || ind.weight > 100) {
      return { field: `indicators.${i}.weight`, message: 'must be more than 0 and at most 100' };
    }
    if (!Number.isFinite(ind.target) || !Number.isFinite(ind.floor)) {
      return { field: `indicators.${i}.target`, message: 'target and floor must be numbers' };
    }
    if (close(ind.target, ind.floor)) {
      return { field: `indicators.${i}.floor`, message: 'must differ from the target' };
    }
  }
  const sum = s.indicators.reduce((a, ind) => a + ind.weight, 0);
  if (!close(sum, 100)) {
    return { field: 'indicators', message: `weights must sum to 100 (they sum to ${Math.round(sum * 100) / 100})` };
  }
  return null;
}

/** The standard in force on a day: the latest version whose validFrom is on or before it. */
export function standardInForce<T extends Pick<Standard, 'validFrom' | 'version'>>(
  standards: readonly T[],
  day: string,
): T | null {
  let best: T | null = null;
  for (const s of standards) {
    if (s.validFrom > day) continue;
    if (!best || s.validFrom > best.validFrom || (s.validFrom === best.validFrom && s.version > best.version)) best = s;
  }
  return best;
}
