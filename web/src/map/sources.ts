/** Pure builders of the data pushed into the map's GeoJSON sources. */

import type { Feature, FeatureCollection, Point } from 'geojson';
import type { AdminUnitCollection } from '../api/admin-units';
import type { AdminLevel } from '../api/vocabulary';

export interface LabelProperties {
  code: string;
  name: string;
  level: AdminLevel;
}
export type LabelCollection = FeatureCollection<Point, LabelProperties>;

/**
 * One label point per admin unit, at the server's label anchor (a point inside the polygon). Labelling the
 * polygons themselves would repeat a name on every tile and every part of a MultiPolygon.
 */
export function labelPoints(units: AdminUnitCollection): LabelCollection {
  const features: Feature<Point, LabelProperties>[] = [];
  for (const unit of units.features) {
    const { code, name, level, labelLon, labelLat } = unit.properties;
    if (!Number.isFinite(labelLon) || !Number.isFinite(labelLat)) continue;
    features.push({
      type: 'Feature',
      id: unit.id ?? code,
      geometry: { type: 'Point', coordinates: [labelLon, labelLat] },
      properties: { code, name, level },
    });
  }
  return { type: 'FeatureCollection', features };
}
