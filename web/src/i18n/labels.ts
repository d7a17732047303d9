/**
 * Labels of values whose type the compiler cannot know: a map feature's properties come back from MapLibre as
 * `any`. Each helper narrows the value to its vocabulary first, so the label key stays type-checked, and shows
 * an unknown value as it is rather than a raw key.
 */
import type { TFunction } from 'i18next';
import {
  disputeCategories,
  disputeStatuses,
  emergingPatterns,
  hotspotBins,
  isOneOf,
  oneOf,
  riskLevels,
  siteKinds,
  stationKinds,
  villageStates,
} from '../api/vocabulary';
import zhCN from './zh-CN';

const shown = (value: unknown) => (value === null || value === undefined ? '—' : String(value));

export const categoryLabel = (t: TFunction, v: unknown) =>
  isOneOf(disputeCategories, v) ? t(`category.${v}`) : shown(v);
export const riskLevelLabel = (t: TFunction, v: unknown) => (isOneOf(riskLevels, v) ? t(`riskLevel.${v}`) : shown(v));
export const statusLabel = (t: TFunction, v: unknown) => (isOneOf(disputeStatuses, v) ? t(`status.${v}`) : shown(v));
export const stationKindLabel = (t: TFunction, v: unknown) =>
  isOneOf(stationKinds, v) ? t(`stationKind.${v}`) : shown(v);
export const villageStateLabel = (t: TFunction, v: unknown) =>
  isOneOf(villageStates, v) ? t(`uploads.state.${v}`) : shown(v);
export const siteKindLabel = (t: TFunction, v: unknown) =>
  isOneOf(siteKinds, v) ? t(`coverage.site.kind.${v}`) : shown(v);
export const patternLabel = (t: TFunction, v: unknown) =>
  isOneOf(emergingPatterns, v) ? t(`hotspots.pattern.${v}`) : shown(v);
export const binLabel = (t: TFunction, v: unknown) => {
  const bin = oneOf(hotspotBins, v);
  return bin ? t(`hotspots.bin.${bin}`) : shown(v);
};

export type ReasonCode = keyof typeof zhCN.uploads.reasons;
/** Whether an upload report line's code has a translated template (lines stored before codes have none). */
export const isReasonCode = (code: string | undefined): code is ReasonCode =>
  code !== undefined && Object.hasOwn(zhCN.uploads.reasons, code);
