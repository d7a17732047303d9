/** Pure helpers of the hot spot view: vocabularies, class colours, choropleth breaks. */
import { disputeCategories } from '../api/vocabulary';

/** The dispute categories, from the one shared vocabulary. */
export const CATEGORIES = disputeCategories;

export const STATUS_CHOICES = [
  'open',
  'closed',
  'reported',
  'accepted',
  'mediating',
  'resolved',
  'failed',
  'referred',
] as const;

export const HOT_LAYERS = ['hotspots', 'risks', 'emerging', 'heat', 'unresolved', 'choropleth'] as const;
export type HotLayer = (typeof HOT_LAYERS)[number];
export const asHotLayer = (v: string | null): HotLayer =>
  (HOT_LAYERS as readonly string[]).includes(v ?? '') ? (v as HotLayer) : 'hotspots';

/** Gi_Bin → colour: ArcGIS's diverging red/blue scheme, white for not significant. */
export const GI_BIN_COLORS: Record<string, string> = {
  '3': '#b2182b',
  '2': '#ef8a62',
  '1': '#fbc4a9',
  '0': '#f4f1ea',
  '-1': '#c6dbef',
  '-2': '#67a9cf',
  '-3': '#2166ac',
};
export const GI_BINS = [3, 2, 1, 0, -1, -2, -3] as const;

export const EMERGING_COLORS = {
  new: '#e7298a',
  intensifying: '#b2182b',
  persistent: '#f4a261',
  diminishing: '#74a9cf',
} as const;

/** Unresolved cases: overdue / past half of the limit / recent. */
export const AGE_COLORS = { overdue: '#991b1b', aging: '#f59e0b', recent: '#10b981' } as const;
export const RISK_RADIUS = { red: 9, orange: 7, yellow: 5.5, blue: 4.5 } as const;

export const CHOROPLETH_KPIS = [
  'found',
  'open',
  'overdue',
  'successRate',
  'villageLevelRate',
  'townLevelRate',
] as const;
export type ChoroplethKpi = (typeof CHOROPLETH_KPIS)[number];
export const asChoroplethKpi = (v: string | null): ChoroplethKpi =>
  (CHOROPLETH_KPIS as readonly string[]).includes(v ?? '') ? (v as ChoroplethKpi) : 'found';
export const isRateKpi = (k: ChoroplethKpi) => k.endsWith('Rate');

/** Sequential ramp (light → dark); for rates where high is good the ramp is read the same way, light = low. */
export const CHOROPLETH_RAMP = ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'] as const;

/**
 * Class breaks by quantiles of the values (nulls left out): at most ramp-length classes, strictly increasing
 * upper bounds, so that `step` expressions are valid. Returns [] when there is nothing to classify.
 */
export function quantileBreaks(values: readonly (number | null)[], classes = CHOROPLETH_RAMP.length): number[] {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  // Nothing to tell apart: one class.
  if (sorted.length === 0 || sorted[0] === sorted[sorted.length - 1]) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))] as number;
    if (breaks.length === 0 || v > (breaks[breaks.length - 1] as number)) breaks.push(v);
  }
  return breaks;
}

/** Zoom the cell size is chosen for: county view ≈ 1.65 km cells, a town ≈ 600 m. */
export const hotspotZoom = (town: string | null) => (town ? 11.5 : 10);
