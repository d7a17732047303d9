import Type, { type Static, type TSchema } from 'typebox';

/**
 * Shapes shared by several answers. This folder is the API contract: TypeBox schemas the server documents its
 * answers with (`/docs/json`) and the web app types them with (`Static<typeof …>`), plus the vocabulary. No
 * Node-only code (biome.json forbids Node modules here), so the browser bundle can import it.
 */

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A share 0..1, null when its denominator is 0. */
export const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

/** Local time in China Standard Time, 2023-05-17T09:30:00+08:00. */
export const LocalTime = Type.String({ description: 'China Standard Time, ISO 8601 with +08:00' });

export const Lon = Type.Number({ minimum: -180, maximum: 180 });
export const Lat = Type.Number({ minimum: -90, maximum: 90 });
export const Position = Type.Tuple([Lon, Lat]);

/** The article's assessment figures from counts (domain/kpis.ts). */
export const KpiProperties = {
  found: Type.Integer(),
  resolved: Type.Integer(),
  failed: Type.Integer(),
  referred: Type.Integer(),
  open: Type.Integer(),
  resolvedAtVillage: Type.Integer(),
  resolvedAtTown: Type.Integer(),
  /** resolved ÷ found (the article's 化解率). */
  successRate: Rate,
  /** resolved ÷ (resolved + failed + referred). */
  closedSuccessRate: Rate,
  /** 小事不出村: resolved at village level ÷ resolved. */
  villageLevelRate: Rate,
  /** 大事不出镇: resolved at village or town level ÷ resolved. */
  townLevelRate: Rate,
};
export const Kpis = Type.Object(KpiProperties);
export type Kpis = Static<typeof Kpis>;

export const PointGeometry = Type.Object({ type: Type.Literal('Point'), coordinates: Position });
export const PolygonGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(Position)),
});

/** A GeoJSON FeatureCollection (RFC 7946, WGS-84) of `geometry` features with `properties`, and its `meta`. */
export function FeatureCollection<G extends TSchema, P extends TSchema, M extends TSchema>(
  geometry: G,
  properties: P,
  meta: M,
) {
  return Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({ type: Type.Literal('Feature'), id: Type.Optional(Type.Integer()), geometry, properties }),
    ),
    meta,
  });
}

/** Body of every 4xx/5xx answer; `field` names the parameter, body field, row or coordinate at fault. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});
export type ErrorBody = Static<typeof ErrorBody>;
