import { printable, textFault } from '../text.js';
import type { DisputeCategory, RiskLevel } from '../vocabulary.js';
import { type CoordinateSystem, parseCoordinateSystem, toWgs84 } from './coordinates.js';
import { parseChineseDate } from './dates.js';
import { parseBoolean, parseCategory, parseRiskLevel, type UploadField } from './fields.js';
import { formatReason, type ReasonCode, type ReasonParams } from './reasons.js';

/**
 * One line of the per-row report the screener downloads. Row numbers are as the uploader sees them. `code` and
 * `params` say why in a form the web app translates; `reason` is the English message, for API clients. Reports
 * stored before codes existed have the message only.
 */
export interface RowIssue {
  row: number;
  field: string;
  code?: ReasonCode;
  params?: ReasonParams;
  reason: string;
  severity: 'error' | 'warning';
}

/** A report line with its English message made from the code. */
export function rowIssue(
  row: number,
  field: string,
  severity: RowIssue['severity'],
  code: ReasonCode,
  params: ReasonParams = {},
): RowIssue {
  // Reports are stored as jsonb, which refuses NUL: a header or a quoted cell is made printable first.
  const shown = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? printable(v) : v]),
  ) as ReasonParams;
  return { row, field: printable(field), code, params: shown, reason: formatReason(code, shown) as string, severity };
}

export interface ScreeningItem {
  category: DisputeCategory;
  risk_level: RiskLevel;
  note: string;
}

/** A row that passed validation, before its village is resolved against the database. */
export interface CandidateRow {
  row: number;
  clientId: string;
  villageCode: string | null;
  villageName: string | null;
  townName: string | null;
  screenedOn: string;
  screener: string;
  /** WGS-84, after conversion from the declared coordinate system. */
  lon: number | null;
  lat: number | null;
  zeroReport: boolean;
  items: ScreeningItem[];
  /** A screened area (GeoJSON MultiPolygon text, WGS-84, RFC 7946 winding) from a GeoJSON upload. */
  area: string | null;
}

/** A raw record: cell values by field, as read from CSV (strings) or XLSX (strings, numbers, dates). */
export type RawRecord = Partial<Record<UploadField, unknown>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VILLAGE_CODE = /^[0-9]{12}$/;
const MAX_TEXT = 2000;

const text = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  return String(v).trim();
};

export interface RowContext {
  /** The batch's declared coordinate system; a row may override it in its own `crs` column. */
  crs: CoordinateSystem;
  /** Used when the row has no screener column (who uploaded the batch). */
  defaultScreener: string;
  /** Gives a row without a client id a stable one (same file, same row → same id: re-sends never duplicate). */
  fallbackClientId: (row: number) => string;
}

/** Validates and normalises one record. Errors reject the row; warnings keep it and go into the report. */
export function validateRow(
  row: number,
  rec: RawRecord,
  ctx: RowContext,
): { candidate: CandidateRow | null; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const error = (field: string, code: ReasonCode, params?: ReasonParams) =>
    issues.push(rowIssue(row, field, 'error', code, params));

  // A cell PostgreSQL cannot store refuses its row alone, before any message quotes the cell.
  for (const [field, value] of Object.entries(rec)) {
    const fault = typeof value === 'string' ? textFault(value) : null;
    if (fault) error(field, fault === 'nul' ? 'nul_character' : 'lone_surrogate');
  }
  if (issues.length > 0) return { candidate: null, issues };

  const clientIdText = text(rec.client_id);
  let clientId = ctx.fallbackClientId(row);
  if (clientIdText !== '') {
    if (UUID.test(clientIdText)) clientId = clientIdText.toLowerCase();
    else error('client_id', 'not_uuid', { value: clientIdText });
  }

  const villageCode = text(rec.village_code) || null;
  if (villageCode && !VILLAGE_CODE.test(villageCode)) error('village_code', 'not_village_code', { value: villageCode });
  const villageName = text(rec.village) || null;
  const townName = text(rec.town) || null;

  const screenedOn = parseChineseDate(typeof rec.screened_on === 'string' ? rec.screened_on.trim() : rec.screened_on);
  if (!screenedOn) {
    const given = text(rec.screened_on);
    if (given) error('screened_on', 'not_date', { value: given });
    else error('screened_on', 'required');
  }

  const screener = text(rec.screener) || ctx.defaultScreener;
  if (screener.length > 100) error('screener', 'too_long', { max: 100 });

  let crs = ctx.crs;
  const crsText = text(rec.crs);
  if (crsText) {
    const parsed = parseCoordinateSystem(crsText);
    if (parsed) crs = parsed;
    else error('crs', 'unknown_crs', { value: crsText });
  }

  let lon: number | null = null;
  let lat: number | null = null;
  const lonText = text(rec.lon);
  const latText = text(rec.lat);
  if (lonText !== '' || latText !== '') {
    const x = Number(lonText);
    const y = Number(latText);
    if (lonText === '' || !Number.isFinite(x) || x < -180 || x > 180) error('lon', 'not_longitude', { value: lonText });
    else if (latText === '' || !Number.isFinite(y) || y < -90 || y > 90)
      error('lat', 'not_latitude', { value: latText });
    else [lon, lat] = toWgs84(x, y, crs);
  }

  if (!villageCode && !villageName && lon === null && !issues.some((i) => i.field === 'lon' || i.field === 'lat')) {
    error('village', 'no_village');
  }

  const categoryText = text(rec.category);
  const levelText = text(rec.risk_level);
  const note = text(rec.note);
  if (note.length > MAX_TEXT) error('note', 'too_long', { max: MAX_TEXT });
  const zeroText = text(rec.zero_report);
  const zeroFlag = parseBoolean(zeroText);
  if (zeroFlag === null) error('zero_report', 'not_yes_no', { value: zeroText });

  const items: ScreeningItem[] = [];
  if (categoryText || levelText) {
    const category = parseCategory(categoryText);
    const level = parseRiskLevel(levelText);
    if (!category) {
      if (categoryText) error('category', 'unknown_category', { value: categoryText });
      else error('category', 'required');
    }
    if (!level) {
      if (levelText) error('risk_level', 'unknown_risk_level', { value: levelText });
      else error('risk_level', 'required');
    }
    if (category && level) items.push({ category, risk_level: level, note });
  }
  if (zeroFlag && items.length > 0) error('zero_report', 'zero_report_with_items');
  if (!zeroFlag && items.length === 0 && !issues.some((i) => i.field === 'category' || i.field === 'risk_level')) {
    error('category', 'no_item');
  }

  if (issues.some((i) => i.severity === 'error')) return { candidate: null, issues };
  return {
    candidate: {
      row,
      clientId,
      villageCode,
      villageName,
      townName,
      screenedOn: screenedOn as string,
      screener,
      lon,
      lat,
      zeroReport: zeroFlag === true,
      items,
      area: null,
    },
    issues,
  };
}
