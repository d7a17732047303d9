import type { Sql } from '../types.js';
import type { Dataset } from './export.js';
import { sql } from './filters.js';

/** A collection's extent for OGC API – Features: its bounding box (CRS84) and time span (UTC instants). */
export function collectionExtent(ds: Dataset): Sql {
  const t = ds.temporal;
  const temporal = t
    ? `, to_char(min(${t.sql})${t.type === 'date' ? "::timestamp AT TIME ZONE 'Asia/Shanghai'" : ''} AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t0,
         to_char(max(${t.sql})${t.type === 'date' ? "::timestamp AT TIME ZONE 'Asia/Shanghai'" : ''} AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t1`
    : '';
  return sql(
    `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax ${t ? ', t0, t1' : ''}
     FROM (SELECT ST_Extent(${ds.geometry})::geometry AS e ${temporal} FROM ${ds.from}) x`,
    [],
  );
}

/** Where an item of a collection is (its town, and the handling station of a case), for the scope check. */
export function itemPlace(collection: 'disputes' | 'screenings', id: number | string): Sql {
  return collection === 'disputes'
    ? { text: 'SELECT town_code, station_id FROM disputes WHERE id = $1', values: [id] }
    : { text: 'SELECT town_code, NULL::bigint AS station_id FROM visible_screenings WHERE id = $1', values: [id] };
}
