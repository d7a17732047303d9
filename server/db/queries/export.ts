import type { AdminLevel, StationKind } from '../../domain/vocabulary.js';
import type { KeysetQuery, Sql } from '../types.js';
import { applyDisputeFilter, type DisputeFilter, sql, Where } from './filters.js';

/**
 * The datasets other systems pull (GeoJSON / CSV exports and OGC API – Features collections), described once.
 *
 * Personal data never appears here: no parties (dispute_parties is never joined), no case summary, no screener
 * names. Features are assembled as JSON text in SQL (as pg_featureserv does), one row per feature, so that the
 * server only splices strings together while it streams.
 */
export const datasetNames = ['disputes', 'screenings', 'stations', 'admin-units'] as const;
export type DatasetName = (typeof datasetNames)[number];

type ColumnKind = 'text' | 'number' | 'boolean';

interface Column {
  name: string;
  sql: string;
  kind: ColumnKind;
  description: string;
}

export interface Dataset {
  name: DatasetName;
  title: string;
  description: string;
  /** FROM clause with joins; the main table is aliased `alias`. */
  from: string;
  alias: string;
  /** Unique, non-null key: the feature id and the keyset for streaming. */
  key: string;
  keyType: 'integer' | 'string';
  /** Geometry expression (SRID 4326). */
  geometry: string;
  geometryType: 'Point' | 'MultiPolygon';
  /** The time a feature is about, for OGC `datetime` and the exports' from/to: a timestamptz or a date. */
  temporal: { sql: string; type: 'timestamptz' | 'date' } | null;
  properties: readonly Column[];
  /** CSV has no geometry column: points get lon/lat, polygons their label point (WKT would overflow Excel). */
  csvPosition: { lon: string; lat: string };
  /** Datasets whose points say where people live or were: their village's point, for coarse (shared) exports. */
  villagePoint?: string;
}

/**
 * How exact shared locations are (issue 8): as recorded; the village's label point (a centroid kept inside the
 * village); or snapped to a square grid of `metres` (cell corners), so that a point no longer finds a house.
 */
export type Precision = { kind: 'exact' } | { kind: 'village' } | { kind: 'grid'; metres: number };

/** The point of a row at a precision (datasets without `villagePoint` are places, not people: always exact). */
export function geometryAt(ds: Dataset, precision: Precision | undefined): string {
  if (!precision || precision.kind === 'exact' || !ds.villagePoint) return ds.geometry;
  if (precision.kind === 'village') return `coalesce(${ds.villagePoint}, ${ds.geometry})`;
  // Metres to degrees at the county's latitude: one grid for the whole county (cells ≈ square there).
  const m = Math.round(precision.metres);
  const lat = `(SELECT radians(ST_Y(c.label_point)) FROM admin_units c WHERE c.level = 'county' LIMIT 1)`;
  return `ST_SnapToGrid(${ds.geometry}, ${m} / (111320 * cos(${lat})), ${m} / 110574.0)`;
}

const cst = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`;
const col = (name: string, sqlText: string, kind: ColumnKind, description: string): Column => ({
  name,
  sql: sqlText,
  kind,
  description,
});

export const datasets: Record<DatasetName, Dataset> = {
  disputes: {
    name: 'disputes',
    title: 'Disputes (矛盾纠纷)',
    description:
      'One point per dispute case, without the parties and without the case summary (exports are for sharing).',
    from: `disputes d
      JOIN admin_units t ON t.code = d.town_code
      LEFT JOIN admin_units v ON v.code = d.village_code`,
    alias: 'd',
    key: 'd.id',
    keyType: 'integer',
    geometry: 'd.geom',
    geometryType: 'Point',
    temporal: { sql: 'd.reported_at', type: 'timestamptz' },
    villagePoint: 'v.label_point',
    properties: [
      col('id', 'd.id', 'number', 'case id'),
      col('caseNo', 'd.case_no', 'text', 'case number'),
      col('category', 'd.category', 'text', 'dispute category'),
      col('riskLevel', 'd.risk_level', 'text', 'red, orange, yellow or blue'),
      col('status', 'd.status', 'text', 'case status'),
      col('channel', 'd.mediation_channel', 'text', 'mediation channel'),
      col('resolutionLevel', 'd.resolution_level', 'text', 'where it was settled'),
      col('referralKind', 'd.referral_kind', 'text', 'referral kind of a referred case'),
      col('reportedAt', cst('d.reported_at'), 'text', 'reported, China Standard Time'),
      col('acceptedAt', cst('d.accepted_at'), 'text', 'accepted, China Standard Time'),
      col('resolvedAt', cst('d.resolved_at'), 'text', 'resolved, China Standard Time'),
      col('townCode', 'd.town_code', 'text', 'town code'),
      col('townName', 't.name', 'text', 'town name'),
      col('villageCode', 'd.village_code', 'text', 'village code'),
      col('villageName', 'v.name', 'text', 'village name'),
      col('stationId', 'd.station_id', 'number', 'handling station id'),
      col('locationMismatch', 'd.location_mismatch', 'boolean', 'the point lies outside the given village'),
    ],
    csvPosition: { lon: 'ST_X(d.geom)', lat: 'ST_Y(d.geom)' },
  },
  screenings: {
    name: 'screenings',
    title: 'Screenings (隐患排查)',
    description:
      'Canvasses of a village on a date with the risks found (none for a zero report), without the screener. ' +
      'Located by GPS when recorded, else at the village label point (geometrySource).',
    from: `visible_screenings s
      JOIN admin_units t ON t.code = s.town_code
      JOIN admin_units v ON v.code = s.village_code
      LEFT JOIN LATERAL (
        SELECT count(*)::int AS n,
               (ARRAY['blue','yellow','orange','red'])[max(array_position(ARRAY['blue','yellow','orange','red'],
                                                                         i.risk_level))] AS max_risk,
               string_agg(DISTINCT i.category, ';' ORDER BY i.category) AS categories
        FROM screening_items i WHERE i.screening_id = s.id) it ON true`,
    alias: 's',
    key: 's.id',
    keyType: 'integer',
    geometry: 'coalesce(s.geom, v.label_point)',
    geometryType: 'Point',
    temporal: { sql: 's.screened_on', type: 'date' },
    villagePoint: 'v.label_point',
    properties: [
      col('id', 's.id', 'number', 'screening id'),
      col('screenedOn', `to_char(s.screened_on, 'YYYY-MM-DD')`, 'text', 'date of the canvass'),
      col('townCode', 's.town_code', 'text', 'town code'),
      col('townName', 't.name', 'text', 'town name'),
      col('villageCode', 's.village_code', 'text', 'village code'),
      col('villageName', 'v.name', 'text', 'village name'),
      col('zeroReport', 's.zero_report', 'boolean', 'nothing found (零报告)'),
      col('itemCount', 'it.n', 'number', 'risks found'),
      col('maxRisk', 'it.max_risk', 'text', 'highest risk level found'),
      col('categories', 'it.categories', 'text', 'categories found, separated by ;'),
      col('geometrySource', `CASE WHEN s.geom IS NULL THEN 'village' ELSE 'gps' END`, 'text', 'gps or village'),
    ],
    csvPosition: { lon: 'ST_X(coalesce(s.geom, v.label_point))', lat: 'ST_Y(coalesce(s.geom, v.label_point))' },
  },
  stations: {
    name: 'stations',
    title: 'Stations (派出所, 司法所, 警司联调室, …)',
    description: 'Police stations, judicial offices, joint mediation rooms, court tribunals and village committees.',
    from: 'stations st JOIN admin_units t ON t.code = st.town_code',
    alias: 'st',
    key: 'st.id',
    keyType: 'integer',
    geometry: 'st.geom',
    geometryType: 'Point',
    temporal: { sql: 'st.opened_on', type: 'date' },
    properties: [
      col('id', 'st.id', 'number', 'station id'),
      col('kind', 'st.kind', 'text', 'station kind'),
      col('name', 'st.name', 'text', 'name'),
      col('townCode', 'st.town_code', 'text', 'town code'),
      col('townName', 't.name', 'text', 'town name'),
      col('staffCount', 'st.staff_count', 'number', 'staff'),
      col('openedOn', `to_char(st.opened_on, 'YYYY-MM-DD')`, 'text', 'opened on'),
      col('hostStationId', 'st.host_station_id', 'number', 'hosting police station (joint rooms)'),
      col('staffedById', 'st.staffed_by_id', 'number', 'staffing judicial office (joint rooms)'),
    ],
    csvPosition: { lon: 'ST_X(st.geom)', lat: 'ST_Y(st.geom)' },
  },
  'admin-units': {
    name: 'admin-units',
    title: 'Administrative units (county, towns, villages)',
    description: 'The county, its towns (街道, 镇, 乡) and villages (村, 社区) as multipolygons.',
    from: 'admin_units u',
    alias: 'u',
    key: 'u.code',
    keyType: 'string',
    geometry: 'u.geom',
    geometryType: 'MultiPolygon',
    temporal: null,
    properties: [
      col('code', 'u.code', 'text', 'statistical division code'),
      col('name', 'u.name', 'text', 'name'),
      col('level', 'u.level', 'text', 'county, town or village'),
      col('parentCode', 'u.parent_code', 'text', 'parent unit'),
      col('areaKm2', 'round(u.area_km2::numeric, 2)', 'number', 'area in km²'),
    ],
    csvPosition: { lon: 'ST_X(u.label_point)', lat: 'ST_Y(u.label_point)' },
  },
};

/** A time interval of instants (RFC 3339 strings with offsets); either end may be open. */
export interface TimeInterval {
  start?: string;
  /** Inclusive unless `endExclusive`. */
  end?: string;
  endExclusive?: boolean;
}

/** Filters over any dataset; each dataset applies those that make sense for it (validated by the routes). */
export interface ExportFilter {
  /** Disputes: the dashboard's filter, exactly as the map and the KPIs apply it. */
  dispute?: DisputeFilter;
  town?: string;
  village?: string;
  kinds?: readonly StationKind[];
  level?: AdminLevel;
  parent?: string;
  bbox?: readonly [number, number, number, number];
  /** Calendar dates (China Standard Time), inclusive, on the dataset's temporal property. */
  from?: string;
  to?: string;
  /** OGC `datetime`. */
  datetime?: TimeInterval;
  /** Not a filter: how exact the points come out (default exact; export tokens always coarse). */
  precision?: Precision;
}

function buildWhere(ds: Dataset, f: ExportFilter, where = new Where()): Where {
  const a = ds.alias;
  if (ds.name === 'disputes') {
    applyDisputeFilter(where, f.dispute ?? {}, a);
  } else {
    if (f.town) where.add(`${a}.town_code = ${where.param(f.town)}`);
    if (f.village && ds.name === 'screenings') where.add(`${a}.village_code = ${where.param(f.village)}`);
    if (f.kinds && f.kinds.length > 0) where.add(`${a}.kind = ANY(${where.param(f.kinds)}::text[])`);
    if (f.level) where.add(`${a}.level = ${where.param(f.level)}`);
    if (f.parent) where.add(`${a}.parent_code = ${where.param(f.parent)}`);
    if (f.bbox) {
      const [w, s, e, n] = f.bbox;
      where.add(
        `ST_Intersects(${ds.geometry}, ST_MakeEnvelope(${where.param(w)}, ${where.param(s)}, ${where.param(e)}, ${where.param(n)}, 4326))`,
      );
    }
    if (ds.temporal && f.from) where.add(`${ds.temporal.sql} >= ${where.param(f.from)}::date`);
    if (ds.temporal && f.to) where.add(`${ds.temporal.sql} <= ${where.param(f.to)}::date`);
  }
  if (ds.temporal && f.datetime) {
    const t = ds.temporal;
    // A date is the whole day in the county's time zone: it matches when that day overlaps the interval.
    const startOf = t.type === 'date' ? `(${t.sql}::timestamp AT TIME ZONE 'Asia/Shanghai')` : t.sql;
    const endOf = t.type === 'date' ? `(${startOf} + interval '1 day')` : t.sql;
    if (f.datetime.start) {
      where.add(`${endOf} ${t.type === 'date' ? '>' : '>='} ${where.param(f.datetime.start)}::timestamptz`);
    }
    if (f.datetime.end) {
      where.add(`${startOf} ${f.datetime.endExclusive ? '<' : '<='} ${where.param(f.datetime.end)}::timestamptz`);
    }
  }
  return where;
}

/** The GeoJSON Feature of a row, as JSON text (RFC 7946; 6 decimals ≈ 0.1 m). */
export function featureSql(ds: Dataset, precision?: Precision): string {
  const props = ds.properties.map((c) => `'${c.name}', ${c.sql}`).join(', ');
  const g = geometryAt(ds, precision);
  return `json_build_object('type', 'Feature', 'id', ${ds.key}, 'geometry', ST_AsGeoJSON(${g}, 6)::json,
            'properties', json_build_object(${props}))::text`;
}

export const csvColumns = (ds: Dataset) => [...ds.properties.map((c) => c.name), 'lon', 'lat'];

function csvSelect(ds: Dataset, precision?: Precision): string {
  const cols = ds.properties.map((c) => `${c.sql} AS "${c.name}"`);
  const g = geometryAt(ds, precision);
  const pos = g === ds.geometry ? ds.csvPosition : { lon: `ST_X(${g})`, lat: `ST_Y(${g})` };
  cols.push(`round(${pos.lon}::numeric, 6) AS lon`, `round(${pos.lat}::numeric, 6) AS lat`);
  return cols.join(', ');
}

function keyset(ds: Dataset, filter: ExportFilter, select: string): KeysetQuery {
  return {
    key: '_key',
    page(after, limit) {
      const where = buildWhere(ds, filter);
      if (after !== null && after !== undefined) where.add(`${ds.key} > ${where.param(after)}`);
      const lim = limit === null ? '' : `LIMIT ${where.param(limit)}`;
      return sql(
        `SELECT ${ds.key} AS _key, ${select} FROM ${ds.from} ${where.toSql()} ORDER BY ${ds.key} ${lim}`,
        where.values,
      );
    },
  };
}

/** Rows `{ _key, f }`: `f` is one GeoJSON Feature as text. */
export function exportFeatures(ds: Dataset, filter: ExportFilter): KeysetQuery {
  return keyset(ds, filter, `${featureSql(ds, filter.precision)} AS f`);
}

/** Rows with one column per CSV header (`csvColumns`), plus `_key`. */
export function exportCsvRows(ds: Dataset, filter: ExportFilter): KeysetQuery {
  return keyset(ds, filter, csvSelect(ds, filter.precision));
}

export function datasetCount(ds: Dataset, filter: ExportFilter): Sql {
  const where = buildWhere(ds, filter);
  return sql(`SELECT count(*)::int AS n FROM ${ds.from} ${where.toSql()}`, where.values);
}

/** A page of features as JSON text (OGC items): offset paging in key order, so pages never overlap. */
export function featurePage(ds: Dataset, filter: ExportFilter, limit: number, offset: number): Sql {
  const where = buildWhere(ds, filter);
  const lim = where.param(limit);
  const off = where.param(offset);
  return sql(
    `SELECT ${featureSql(ds, filter.precision)} AS f FROM ${ds.from} ${where.toSql()} ORDER BY ${ds.key} LIMIT ${lim} OFFSET ${off}`,
    where.values,
  );
}

export function featureById(ds: Dataset, id: string | number, precision?: Precision): Sql {
  return sql(`SELECT ${featureSql(ds, precision)} AS f FROM ${ds.from} WHERE ${ds.key} = $1`, [id]);
}
